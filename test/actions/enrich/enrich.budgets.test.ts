import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { Reply } from '../../fakes/crustdata';
import { answerAll, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';
import { instantSleep, virtualClock } from '../../helpers/sleep';
import { runNode } from '../../integration/harness';

// Run budgets and the Not Sent output: nothing on Not Sent was bought, every item leaves in input
// order on one output or both, each part once.

beforeEach(() => instantSleep());

const emails = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => `p${from + i}@acme.com`);
const byEmail = (options: INodeParameters): INodeParameters => ({
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	options,
});
const paired = (output: INodeExecutionData[] = []) =>
	output.map((item) => (item.pairedItem as { item: number }).item);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const charged = (calls: Array<{ identifiers: string[] }>, each = 1) =>
	calls.reduce((sum, call) => sum + call.identifiers.length * each, 0);

describe('Max Identifiers per Run', () => {
	it('sends exactly that many, and puts the rest on Not Sent, paired, with nothing bought', async () => {
		const calls = fakeCrustdata();
		const { output, hints } = await runNode(
			enrichOptions(byEmail({ maxIdentifiers: 60 }), items(emails(100), 'email')),
		);
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 25, 10]);
		expect(output).toHaveLength(2);
		expect(paired(output[0])).toEqual(range(0, 60));
		expect(paired(output[1])).toEqual(range(60, 100));
		expect(output[1][0].json).toEqual({
			reason: 'maxIdentifiers',
			identifiers: ['p60@acme.com'],
			message:
				'Not sent: the run reached "Max Identifiers per Run". Nothing was bought for these identifiers.',
		});
		expect(hints[0].message).toBe(
			'Crustdata: 3 requests, 60 distinct identifiers sent, 60 matched, 0 unmatched, 40 not sent, 60 credits used.',
		);
	});

	it('shows one output when no option can hold identifiers back', async () => {
		fakeCrustdata();
		const { output } = await runNode(enrichOptions(byEmail({}), items(emails(3), 'email')));
		expect(output).toHaveLength(1);
	});
});

describe('Max Credits per Run', () => {
	it('never lets the credits charged pass the cap, sending a smaller request to use what is left', async () => {
		const calls = fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(byEmail({ maxCredits: 30 }), items(emails(100), 'email')),
		);
		// Business emails cost at most 1 each: 25, then 5 fit; every one matched and was charged.
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 5]);
		expect(charged(calls)).toBe(30);
		expect(paired(output[1])).toEqual(range(30, 100));
		expect(output[1].every((item) => item.json.reason === 'maxCredits')).toBe(true);
	});

	it('sends more when answers cost less than their worst case (nobody found costs nothing)', async () => {
		const values = [...emails(20).map((e) => `nomatch-${e}`), ...emails(40, 20)];
		const calls = fakeCrustdata();
		await runNode(enrichOptions(byEmail({ maxCredits: 30 }), items(values, 'email')));
		const bought = calls
			.flatMap((call) => call.identifiers)
			.filter((id) => !id.startsWith('nomatch'));
		expect(bought.length).toBeLessThanOrEqual(30);
		expect(calls.flatMap((call) => call.identifiers)).toHaveLength(50);
	});

	it('holds under 429s and a 500 in the middle, counting a retry against the cap too', async () => {
		const limited: Reply = () => [429, '', { 'retry-after': '1' }];
		const broken: Reply = () => [500, { error: { message: 'oops' } }];
		const calls = fakeCrustdata(limited, answerAll, broken, answerAll);
		const { output } = await runNode(
			enrichOptions(byEmail({ maxCredits: 30 }), items(emails(60), 'email')),
		);
		const answered = calls.filter((_, index) => index === 1 || index >= 3);
		expect(charged(answered)).toBeLessThanOrEqual(30);
		expect(output[0]).toHaveLength(charged(answered));
		expect(paired(output[0]).length + paired(output[1]).length).toBe(60);
	});
});

describe('Max Run Time (Minutes)', () => {
	it('starts no request after it; what was bought comes out, the rest is Not Sent', async () => {
		virtualClock();
		const calls = fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(
				byEmail({ maxRunMinutes: 1.5, requestsPerMinute: 2 }),
				items(emails(150), 'email'),
			),
		);
		// 2 a minute: at 0 s, 0 s, 60 s, 60 s; the next turn (120 s) is past 90 s.
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 25, 25, 25]);
		expect(paired(output[0])).toEqual(range(0, 100));
		expect(paired(output[1])).toEqual(range(100, 150));
		expect(output[1].every((item) => item.json.reason === 'maxRunMinutes')).toBe(true);
	});
});

describe('When an Item Has No Identifier', () => {
	it('sends the rows that have one, and puts the blank ones on Not Sent', async () => {
		const calls = fakeCrustdata();
		const values = [
			'a@x.com',
			'',
			'b@x.com',
			null,
			'c@x.com',
			'd@x.com',
			'  ',
			'e@x.com',
			'f@x.com',
			'g@x.com',
		];
		const { output, hints } = await runNode(
			enrichOptions(byEmail({ noIdentifier: 'notSent' }), items(values, 'email')),
		);
		expect(calls.map((call) => call.identifiers.length)).toEqual([7]);
		expect(hints[0].message).toBe(
			'Crustdata: 1 request, 7 distinct identifiers sent, 7 matched, 0 unmatched, 3 items without an identifier, 7 credits used.',
		);
		expect(paired(output[1])).toEqual([1, 3, 6]);
		expect(output[1][0].json).toEqual({
			reason: 'noIdentifier',
			identifiers: [],
			message: 'Not sent: the item has no identifier. Nothing was bought for this item.',
		});
	});

	it('keeps an invalid value an error', async () => {
		fakeCrustdata();
		await expect(
			runNode(enrichOptions(byEmail({ noIdentifier: 'notSent' }), items(['', 'nope'], 'email'))),
		).rejects.toThrow('Item 1: "nope" is not a valid business email');
	});
});

describe('an item partly sent', () => {
	it('appears on both outputs, each part once, in input order', async () => {
		fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(
				byEmail({ maxIdentifiers: 2 }),
				items(['a@x.com, b@x.com, c@x.com', 'd@x.com'], 'email'),
			),
		);
		expect(output[0].map((item) => [paired([item])[0], item.json.identifier])).toEqual([
			[0, 'a@x.com'],
			[0, 'b@x.com'],
		]);
		expect(output[1].map((item) => [paired([item])[0], item.json.identifiers])).toEqual([
			[0, ['c@x.com']],
			[1, ['d@x.com']],
		]);
	});
});

describe('this execution remembers what it bought', () => {
	it('answers a person asked again in the same execution without buying them again', async () => {
		const calls = fakeCrustdata();
		const first = await runNode(enrichOptions(byEmail({}), items(['a@x.com'], 'email')));
		const again = await runNode({
			...enrichOptions(byEmail({}), items(['a@x.com', 'b@x.com'], 'email')),
			nodeContext: first.nodeContext,
		});
		expect(calls.map((call) => call.identifiers)).toEqual([['a@x.com'], ['b@x.com']]);
		expect(again.output[0].map((item) => item.json.identifier)).toEqual(['a@x.com', 'b@x.com']);
		expect(again.hints[0].message).toBe(
			"Crustdata: 1 request, 1 distinct identifiers sent, 2 matched, 0 unmatched, 1 answered from this execution's memory, 1 credits used.",
		);
	});

	it('holds Max Credits per Run across the runs of one execution', async () => {
		const calls = fakeCrustdata();
		const first = await runNode(
			enrichOptions(byEmail({ maxCredits: 30 }), items(emails(25), 'email')),
		);
		const again = await runNode({
			...enrichOptions(byEmail({ maxCredits: 30 }), items(emails(25, 25), 'email')),
			nodeContext: first.nodeContext,
		});
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 5]);
		expect(paired(again.output[1])).toEqual(range(5, 25));
	});
});

describe('three outputs', () => {
	it('routes error items to the error output, after Not Sent', async () => {
		fakeCrustdata(() => [500, { error: { message: 'down' } }]);
		const { output } = await runNode(
			enrichOptions(byEmail({ maxIdentifiers: 1 }), items(['a@x.com', 'b@x.com'], 'email'), {
				onError: 'continueErrorOutput',
			}),
		);
		expect(output.map((items) => paired(items))).toEqual([[], [1], [0]]);
		expect(output[2][0].json.error).toBe(
			'Crustdata had a server error (500) after 4 retries: try again later',
		);
	});
});
