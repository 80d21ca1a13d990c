import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import type { Reply } from '../../fakes/crustdata';
import { answerAll, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';
import { instantSleep } from '../../helpers/sleep';
import { runNode } from '../../integration/harness';

// "Skip Identifiers Looked Up Before": n8n's deduplication store (here the harness's in-memory
// copy of it), scoped to the workflow and node, across executions.

beforeEach(() => instantSleep());

const DAY = 86_400_000;
const emails = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => `p${from + i}@acme.com`);
const paired = (output: INodeExecutionData[] = []) =>
	output.map((item) => (item.pairedItem as { item: number }).item);
let workflow = 0;

function memoryRun(values: string[], options: INodeParameters = {}, extra: INodeParameters = {}) {
	const workflowId = `memory-${workflow}`;
	return runNode({
		...enrichOptions(
			{
				identifyBy: 'businessEmail',
				businessEmails: '={{ $json.email }}',
				options: { skipLookedUp: true, ...options },
				...extra,
			},
			items(values, 'email'),
			{ onError: 'continueErrorOutput' },
		),
		workflowId,
	});
}

beforeEach(() => {
	workflow++;
});

describe('Skip Identifiers Looked Up Before', () => {
	it('sends only the new identifiers the next time, and puts the others on Not Sent', async () => {
		const first = fakeCrustdata();
		const run1 = await memoryRun(emails(100));
		expect(first.map((call) => call.identifiers.length)).toEqual([25, 25, 25, 25]);
		expect(run1.output[1]).toEqual([]);
		nock.cleanAll();

		const second = fakeCrustdata();
		const run2 = await memoryRun([...emails(100), ...emails(20, 100)]);
		expect(second.map((call) => call.identifiers)).toEqual([emails(20, 100)]);
		expect(paired(run2.output[0])).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i));
		expect(paired(run2.output[1])).toEqual(Array.from({ length: 100 }, (_, i) => i));
		expect(run2.output[1].every((item) => item.json.reason === 'lookedUpBefore')).toBe(true);
	});

	it('remembers an identifier nobody matched, and never one whose request failed', async () => {
		const failing: Reply = () => [500, { error: { message: 'down' } }];
		fakeCrustdata(answerAll, failing);
		// Two requests: the first answered (a nobody and a match), the second failed every retry.
		await memoryRun(['nomatch-a@x.com', ...emails(24), ...emails(5, 24)]);
		nock.cleanAll();

		const again = fakeCrustdata();
		await memoryRun(['nomatch-a@x.com', ...emails(24), ...emails(5, 24)]);
		expect(again.map((call) => call.identifiers)).toEqual([emails(5, 24)]);
	});

	it('looks an identifier up again once "Look Up Again After (Days)" has passed', async () => {
		const start = Date.UTC(2026, 10, 1);
		const at = (days: number) => jest.spyOn(Date, 'now').mockReturnValue(start + days * DAY);
		const calls = fakeCrustdata();
		at(0);
		await memoryRun(['a@x.com'], { lookUpAgainAfterDays: 30 });
		at(29.9);
		await memoryRun(['a@x.com'], { lookUpAgainAfterDays: 30 });
		expect(calls).toHaveLength(1);
		// Forgotten between 30 and 36 days after the lookup.
		at(36.1);
		await memoryRun(['a@x.com'], { lookUpAgainAfterDays: 30 });
		expect(calls).toHaveLength(2);
	});

	it('counts a lookup only for the Fields it bought', async () => {
		const calls = fakeCrustdata();
		await memoryRun(['a@x.com']);
		await memoryRun(
			['a@x.com'],
			{},
			{ fields: ['contact.business_emails', 'contact.phone_numbers'] },
		);
		expect(calls).toHaveLength(2);
	});

	it("forgets this run's identifiers, or everything, when asked", async () => {
		const calls = fakeCrustdata();
		await memoryRun(['a@x.com', 'b@x.com']);
		await memoryRun(['a@x.com'], { forgetLookedUp: 'items' });
		expect(calls.map((call) => call.identifiers)).toEqual([['a@x.com', 'b@x.com'], ['a@x.com']]);
		await memoryRun(['a@x.com', 'b@x.com'], { forgetLookedUp: 'all' });
		expect(calls.map((call) => call.identifiers)).toHaveLength(3);
		expect(calls[2].identifiers).toEqual(['a@x.com', 'b@x.com']);
	});

	it('never buys one identifier in two executions running at once', async () => {
		const calls = fakeCrustdata();
		await Promise.all([memoryRun(['a@x.com', 'b@x.com']), memoryRun(['b@x.com', 'c@x.com'])]);
		const sent = calls.flatMap((call) => call.identifiers).sort();
		expect(sent).toEqual(['a@x.com', 'b@x.com', 'c@x.com']);
	});

	it('gives back what a budget held back, so that the next run takes it', async () => {
		const calls = fakeCrustdata();
		await memoryRun(emails(30), { maxIdentifiers: 10 });
		await memoryRun(emails(30));
		expect(calls.map((call) => call.identifiers)).toEqual([emails(10), emails(20, 10)]);
	});
});
