import type { INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { API, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';
import { instantSleep } from '../../helpers/sleep';
import { runNode } from '../../integration/harness';

beforeEach(() => instantSleep());

const emails = (count: number, from = 0) =>
	Array.from({ length: count }, (_, i) => `p${from + i}@acme.com`);

function balance(credits: number) {
	const asked: string[] = [];
	nock(API)
		.get('/account/credits')
		.times(10)
		.reply(function () {
			asked.push(String(this.req.headers.authorization));
			return [200, { account: { credits, recurring_credits: 0 } }];
		});
	return asked;
}

const parameters = (operation: string, options: INodeParameters = {}): INodeParameters => ({
	operation,
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	fields: ['contact.business_emails', 'contact.phone_numbers'],
	options,
});

describe('Estimate Cost', () => {
	it('sends nothing to enrich, reads the balance, and outputs one item paired to every input item', async () => {
		const enrich = fakeCrustdata();
		const asked = balance(1000);
		const values = [...emails(60), 'p1@acme.com', '', 'not-an-email'];
		const { output, hints } = await runNode(
			enrichOptions(parameters('estimate', { maxIdentifiers: 50 }), items(values, 'email'), {
				continueOnFail: true,
			}),
		);
		expect(enrich).toHaveLength(0);
		expect(asked).toHaveLength(1);
		expect(output).toHaveLength(1);
		expect(output[0]).toHaveLength(1);
		expect(output[0][0].pairedItem).toEqual(values.map((_, item) => ({ item })));
		expect(output[0][0].json).toEqual({
			items: 63,
			invalidItems: 2,
			itemsWithoutIdentifier: 0,
			identifiers: 61,
			distinctIdentifiers: 60,
			answeredInThisExecution: 0,
			rememberedIdentifiers: 0,
			heldBackByMaxIdentifiers: 10,
			heldBackByMaxCredits: 0,
			heldBackByMaxRunMinutes: 0,
			identifiersToSend: 50,
			requests: 2,
			minutes: 0,
			creditsPerIdentifier: 3,
			mostCredits: 150,
			balance: 1000,
			enoughCredits: true,
			firstInvalidItem: expect.stringContaining('Item 61 has no business email'),
		});
		expect(hints[0].message).toBe(
			'Estimate: 50 identifiers to send in 2 requests, at most 150 credits; balance 1000. Nothing was bought.',
		);
	});

	it.each<[string, INodeParameters, string[]]>([
		['no budget', {}, ['contact.business_emails', 'contact.phone_numbers']],
		// Business emails: the fake charges every match its worst case, 1.
		['Max Credits per Run', { maxCredits: 70 }, ['contact.business_emails']],
		['Max Identifiers per Run', { maxIdentifiers: 101 }, ['contact.business_emails']],
	])(
		'predicts the requests Enrich then sends, and a ceiling never below its charge (%s)',
		async (_label, options, fields) => {
			balance(1000);
			const values = emails(130);
			const estimate = await runNode(
				enrichOptions({ ...parameters('estimate', options), fields }, items(values, 'email')),
			);
			const calls = fakeCrustdata();
			await runNode(
				enrichOptions({ ...parameters('enrich', options), fields }, items(values, 'email')),
			);
			expect(estimate.output[0][0].json.requests).toBe(calls.length);
			const chargedCredits = calls.reduce((sum, call) => sum + call.identifiers.length, 0);
			expect(estimate.output[0][0].json.mostCredits).toBeGreaterThanOrEqual(chargedCredits);
		},
	);

	it('counts what the memory would skip, without claiming anything', async () => {
		balance(5);
		const workflowId = 'estimate-memory';
		const skip = { skipLookedUp: true };
		const calls = fakeCrustdata();
		await runNode({
			...enrichOptions(parameters('enrich', skip), items(emails(3), 'email')),
			workflowId,
		});
		const estimate = await runNode({
			...enrichOptions(parameters('estimate', skip), items(emails(5), 'email')),
			workflowId,
		});
		expect(estimate.output[0][0].json).toMatchObject({
			rememberedIdentifiers: 3,
			identifiersToSend: 2,
			balance: 5,
			enoughCredits: false,
		});
		await runNode({
			...enrichOptions(parameters('enrich', skip), items(emails(5), 'email')),
			workflowId,
		});
		expect(calls.map((call) => call.identifiers)).toEqual([emails(3), emails(2, 3)]);
	});
});
