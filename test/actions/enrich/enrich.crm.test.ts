import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { CrustdataContactEnrich } from '../../../nodes/CrustdataContactEnrich/CrustdataContactEnrich.node';
import type { Reply } from '../../fakes/crustdata';
import { answerAll, enrichOptions, fakeCrustdata } from '../../fakes/crustdata';
import { instantSleep } from '../../helpers/sleep';
import { DEFAULT_NODE_TYPE_NAME, runNode } from '../../integration/harness';
import { HarnessNodeTypes } from '../../integration/harness/nodeTypes';

// CRM-ready by default: no undeliverable address in the simplified output unless asked for, the
// record's own fields kept on request, and guidance where money is at stake.

beforeEach(() => instantSleep());

const byEmail = (options: INodeParameters = {}, extra: INodeParameters = {}): INodeParameters => ({
	identifyBy: 'businessEmail',
	businessEmails: '={{ $json.email }}',
	options,
	...extra,
});

/** The fake's answer, with every business email of the first person marked invalid. */
const invalidOnly: Reply = (call) => {
	const [status, body, headers] = answerAll(call);
	const entries = structuredClone(body) as IDataObject[];
	const contact = ((entries[0].matches as IDataObject[])[0].person_data as IDataObject)
		.contact as IDataObject;
	contact.business_emails = [{ email: 'old@acme.example', status: 'invalid' }];
	return [status, entries, headers];
};

describe('safe email choice by default', () => {
	it('gives businessEmail null for a person whose only address is invalid, unless asked for', async () => {
		fakeCrustdata(invalidOnly);
		const rows = [{ json: { email: 'a@x.com' } }];
		const plain = await runNode(enrichOptions(byEmail(), rows));
		expect(plain.output[0][0].json).toMatchObject({ businessEmail: null, businessEmails: [] });

		const asked = await runNode(
			enrichOptions(byEmail({ emailStatuses: ['deliverable', 'invalid'] }), rows),
		);
		expect(asked.output[0][0].json).toMatchObject({
			businessEmail: 'old@acme.example',
			businessEmailStatus: 'invalid',
		});

		const raw = await runNode(enrichOptions(byEmail({}, { simplify: false }), rows));
		expect(raw.output[0][0].json.person_data).toMatchObject({
			contact: { business_emails: [{ email: 'old@acme.example', status: 'invalid' }] },
		});
	});
});

describe('Include Input Fields', () => {
	const rows = [
		{ json: { id: 7, email: 'a@x.com', businessEmail: 'typed-by-hand@x.com' } },
		{ json: { id: 8, email: 'nomatch-b@x.com' } },
		{ json: { id: 9, email: 'c@x.com' } },
		{ json: { id: 10, email: 'not-an-email' } },
		{ json: { id: 11, email: '' } },
	];

	it('puts the input fields on every output item, renaming an input field the node also writes', async () => {
		fakeCrustdata(answerAll, () => [500, { error: { message: 'down' } }]);
		const { output, hints } = await runNode(
			enrichOptions(
				byEmail({
					includeInputFields: true,
					includeUnmatched: true,
					maxIdentifiers: 2,
					noIdentifier: 'notSent',
				}),
				rows,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [done, notSent, errors] = output;
		expect(done.map((item) => item.json)).toEqual([
			expect.objectContaining({
				id: 7,
				email: 'a@x.com',
				input_businessEmail: 'typed-by-hand@x.com',
				businessEmail: 'a.1@acme.example',
				identifier: 'a@x.com',
			}),
			expect.objectContaining({ id: 8, email: 'nomatch-b@x.com', matched: false }),
		]);
		expect(notSent.map((item) => [item.json.id, item.json.reason])).toEqual([
			[9, 'maxIdentifiers'],
			[11, 'noIdentifier'],
		]);
		expect(errors.map((item) => [item.json.id, item.json.error])).toEqual([
			[10, expect.stringContaining('"not-an-email" is not a valid business email')],
		]);
		expect(hints.map((hint) => hint.message)).toContain(
			'Include Input Fields: input fields with the same name as an output field were kept under a new name: businessEmail → input_businessEmail.',
		);
	});

	it('leaves the output as it was without the option', async () => {
		fakeCrustdata();
		const { output } = await runNode(enrichOptions(byEmail(), rows.slice(0, 1)));
		expect(output[0][0].json.id).toBeUndefined();
	});
});

describe('guidance where money is at stake', () => {
	const many = Array.from({ length: 30 }, (_, i) => ({ json: { email: `p${i}@x.com` } }));
	const messages = (hints: Array<{ message: string }>) => hints.map((hint) => hint.message);
	const RETRY = expect.stringContaining('"Retry On Fail" is on');
	const STOP = expect.stringContaining('"On Error" is "Stop Workflow"');

	it('warns after a run with Retry On Fail on', async () => {
		fakeCrustdata();
		const { hints } = await runNode({
			...enrichOptions(byEmail(), many.slice(0, 1), { onError: 'continueErrorOutput' }),
			retryOnFail: true,
		});
		expect(messages(hints)).toEqual([expect.any(String), RETRY]);
	});

	it('warns when On Error is Stop on a list longer than one request, and not otherwise', async () => {
		fakeCrustdata();
		const stopped = await runNode(enrichOptions(byEmail(), many));
		expect(messages(stopped.hints)).toEqual([expect.any(String), STOP]);
		const one = await runNode(enrichOptions(byEmail(), many.slice(0, 3)));
		expect(messages(one.hints)).toHaveLength(1);
		const kept = await runNode(enrichOptions(byEmail(), many, { onError: 'continueErrorOutput' }));
		expect(messages(kept.hints)).toHaveLength(1);
	});

	function panelHints(parameters: INodeParameters) {
		const type = new CrustdataContactEnrich();
		const node: INode = {
			id: 'n',
			name: 'Crustdata',
			type: DEFAULT_NODE_TYPE_NAME,
			typeVersion: 1,
			position: [0, 0],
			parameters,
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: new HarnessNodeTypes(DEFAULT_NODE_TYPE_NAME, type),
		});
		// What n8n's editor does for a hint before a run (useNodeHelpers' getNodeHints).
		return (type.description.hints ?? [])
			.filter(
				(hint) =>
					workflow.expression.getSimpleParameterValue(
						node,
						hint.displayCondition ?? '={{ true }}',
						'internal',
						{},
					) === true,
			)
			.map((hint) => hint.message);
	}

	it.each<[string, INodeParameters, number]>([
		['business emails only', { operation: 'enrich', fields: ['contact.business_emails'] }, 0],
		[
			'phone numbers',
			{ operation: 'enrich', fields: ['contact.business_emails', 'contact.phone_numbers'] },
			1,
		],
		[
			'verified business emails',
			{ operation: 'enrich', fields: ['contact.business_emails'], options: { verified: true } },
			1,
		],
		[
			'personal emails in bulk',
			{ operation: 'bulkEnrich', fields: ['contact.personal_emails'] },
			1,
		],
		[
			'Get Bulk Results (buys nothing)',
			{ operation: 'getBulkResults', fields: ['contact.phone_numbers'] },
			0,
		],
	])('shows the cost hint in the panel before a run for %s', (_label, parameters, count) => {
		expect(panelHints(parameters)).toHaveLength(count);
	});
});
