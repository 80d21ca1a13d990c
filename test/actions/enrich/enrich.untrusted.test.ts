import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { MAX_RESET_WAIT_MS } from '../../../nodes/CrustdataContactEnrich/transport/limits';
import type { Reply } from '../../fakes/crustdata';
import { answerAll, API, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';
import { instantSleep, virtualClock, waits } from '../../helpers/sleep';
import { runNode } from '../../integration/harness';

// The hardening issue: answers and headers are untrusted input. Each case here failed before.

beforeEach(() => instantSleep());

const url = (slug: string) => `https://www.linkedin.com/in/${slug}`;
const byUrl = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	identifyBy: 'profileUrl',
	profileUrls: '={{ $json.url }}',
	options,
	...extra,
});
const byEmail = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	options,
	...extra,
});
const rows = (output: INodeExecutionData[]) =>
	output.map((item) => [
		(item.pairedItem as { item: number }).item,
		item.json.identifier ?? item.json.error,
		item.json.businessEmail,
	]);
/** The fake's answer, then `change` applied to its entries. */
const answered =
	(change: (entries: IDataObject[]) => IDataObject[]): Reply =>
	(call) => {
		const [status, body, headers] = answerAll(call);
		return [status, change(body as IDataObject[]), headers];
	};

describe('answers are paired by identity', () => {
	it("puts nobody's email on another person when the answer comes in another order", async () => {
		fakeCrustdata(answered((entries) => [...entries].reverse()));
		const { output } = await runNode(
			enrichOptions(
				byEmail(),
				items(['alice@acme.com', 'bob@acme.com', 'carol@acme.com'], 'email'),
			),
		);
		expect(rows(output[0])).toEqual([
			[0, 'alice@acme.com', 'alice.1@acme.example'],
			[1, 'bob@acme.com', 'bob.1@acme.example'],
			[2, 'carol@acme.com', 'carol.1@acme.example'],
		]);
	});

	it('keeps every result of a short answer in another spelling; only the one left out fails', async () => {
		// Sent: /in/jos%C3%A9, /in/ann, /in/bo. Answered: josé decoded, ann without www; bo left out.
		const respelled: Reply = (call) => {
			const entries = answerAll(call)[1] as IDataObject[];
			const body = [
				{ ...entries[0], matched_on: 'https://www.linkedin.com/in/josé' },
				{ ...entries[1], matched_on: 'linkedin.com/in/ann/' },
			];
			return [200, body, { 'x-credits-used': '2' }];
		};
		const calls = fakeCrustdata(respelled);
		const { output, hints } = await runNode(
			enrichOptions(byUrl(), items([url('josé'), url('ann'), url('bo')]), {
				onError: 'continueErrorOutput',
			}),
		);
		expect(calls[0].identifiers).toEqual([url('jos%C3%A9'), url('ann'), url('bo')]);
		expect(rows(output[0])).toEqual([
			[0, url('jos%C3%A9'), 'jos%C3%A9.1@acme.example'],
			[1, url('ann'), 'ann.1@acme.example'],
		]);
		expect(rows(output[1])).toEqual([
			[
				2,
				'Crustdata answered 2 of the 3 identifiers in one request and left this one out; it was not sent again, because the request may already have been billed. Run the item again to retry it.',
				undefined,
			],
		]);
		// Each identifier counted once: 3 sent, 2 matched, 1 failed.
		expect(hints[0].message).toBe(
			'Crustdata: 1 request, 3 distinct identifiers sent, 2 matched, 0 unmatched, 1 failed, 2 credits used.',
		);
	});
});

describe('every wait is bounded', () => {
	it.each([
		['an epoch time in milliseconds', String(1.8e12)],
		['milliseconds', '45000'],
	])(
		'waits at most the window plus a margin when "0 left" comes with a reset in %s',
		async (_label, reset) => {
			virtualClock();
			const zeroLeft: Reply = (call) => {
				const [status, body] = answerAll(call);
				return [status, body, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }];
			};
			const calls = fakeCrustdata(zeroLeft);
			await runNode(
				enrichOptions(
					byEmail(),
					items(['a@x.com', ...Array.from({ length: 25 }, (_, i) => `p${i}@x.com`)], 'email'),
				),
			);
			expect(calls.map((call) => call.identifiers.length)).toEqual([25, 1]);
			expect(waits()).toEqual([MAX_RESET_WAIT_MS]);
		},
	);
});

describe('credits', () => {
	it('counts x-credits-used over every attempt, a failed one included', async () => {
		const billedFailure: Reply = () => [500, '', { 'x-credits-used': '1' }];
		fakeCrustdata(billedFailure, answerAll);
		const { hints } = await runNode(
			enrichOptions(byEmail(), items(['a@x.com', 'b@x.com'], 'email')),
		);
		expect(hints[0].message).toBe(
			'Crustdata: 2 requests, 2 distinct identifiers sent, 2 matched, 0 unmatched, 3 credits used.',
		);
	});
});

describe('identifiers', () => {
	it('keeps two Sales Navigator member ids that differ only in case as two people', async () => {
		const calls = fakeCrustdata();
		await runNode(
			enrichOptions(byUrl(), items([url('ACwAAAB1c2VyX2lkXzEy'), url('ACwAAAb1c2VyX2lkXzEy')])),
		);
		expect(calls[0].identifiers).toEqual([
			url('ACwAAAB1c2VyX2lkXzEy'),
			url('ACwAAAb1c2VyX2lkXzEy'),
		]);
	});

	it('accepts the mobile profile forms as the one profile they name', async () => {
		const calls = fakeCrustdata();
		await runNode(
			enrichOptions(
				byUrl(),
				items([
					'linkedin.com/mwlite/in/jane-doe',
					'https://www.linkedin.com/m/in/Jane-Doe/',
					'https://touch.www.linkedin.com/in/jane-doe',
				]),
			),
		);
		expect(calls[0].identifiers).toEqual([url('jane-doe')]);
	});

	it('accepts the addresses people really have, and "Name <address>" in a list', async () => {
		const calls = fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(
				byEmail(),
				items(
					[
						"O&Neil@acme.com, o'brien@acme.ie",
						'Jane Doe <jane@münchen.de>; "Doe, John" <jöhn@acme.de>',
					],
					'email',
				),
			),
		);
		expect(calls[0].identifiers).toEqual([
			'o&neil@acme.com',
			"o'brien@acme.ie",
			'jane@xn--mnchen-3ya.de',
			'jöhn@acme.de',
		]);
		expect(output[0].map((item) => (item.pairedItem as { item: number }).item)).toEqual([
			0, 0, 1, 1,
		]);
	});

	it.each([
		[
			'a text',
			'={{ "contact.business_emails, contact.phone_numbers" }}',
			['contact.business_emails', 'contact.phone_numbers'],
		],
		['a list', '={{ ["contact.personal_emails"] }}', ['contact.personal_emails']],
	])('reads Fields set by an expression that returns %s', async (_label, fields, sent) => {
		const calls = fakeCrustdata();
		await runNode(enrichOptions(byEmail({}, { fields }), items(['a@x.com'], 'email')));
		expect(calls[0].body.fields).toEqual(sent);
	});

	it('refuses a field the node does not sell, naming the allowed ones, before sending anything', async () => {
		const calls = fakeCrustdata();
		await expect(
			runNode(
				enrichOptions(
					byEmail({}, { fields: '={{ "contact.emails" }}' }),
					items(['a@x.com'], 'email'),
				),
			),
		).rejects.toThrow(
			'"Fields" holds "contact.emails", which is not a contact field this node can buy. Use one or more of: contact.business_emails, contact.personal_emails, contact.phone_numbers, contact.websites.',
		);
		expect(calls).toHaveLength(0);
	});
});

describe('output and hint', () => {
	it('gives every raw item its own objects, even when two items carry one identifier', async () => {
		fakeCrustdata();
		const { output } = await runNode(
			enrichOptions(byEmail({}, { simplify: false }), items(['a@x.com', 'a@x.com'], 'email')),
		);
		const [first, second] = output[0];
		expect(first.json.person_data).toEqual(second.json.person_data);
		expect(first.json.person_data).not.toBe(second.json.person_data);
	});

	it('counts identifiers never sent after a refusal as not sent, not as sent', async () => {
		fakeCrustdata(() => [
			402,
			{ error: { type: 'insufficient_credits', message: 'Out of credits' } },
		]);
		const emails = Array.from({ length: 60 }, (_, i) => `p${i}@x.com`);
		const { hints } = await runNode(
			enrichOptions(byEmail(), items(emails, 'email'), { onError: 'continueErrorOutput' }),
		);
		expect(hints[0].message).toBe(
			'Crustdata: 1 request, 25 distinct identifiers sent, 0 matched, 0 unmatched, 25 failed, 35 not sent, 0 credits used.',
		);
	});

	it('says a cancelled execution was cancelled', async () => {
		const stop = new AbortController();
		nock(API)
			.post('/person/contact/enrich')
			.reply(() => {
				stop.abort();
				return new Promise<never>(() => {});
			});
		await expect(
			runNode({
				...enrichOptions(byEmail(), items(['a@x.com'], 'email')),
				cancelSignal: stop.signal,
			}),
		).rejects.toThrow('The execution was cancelled while the node was waiting for Crustdata');
	});
});
