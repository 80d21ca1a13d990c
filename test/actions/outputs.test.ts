import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { configuredOutputs } from '../../nodes/CrustdataContactEnrich/actions/runLimits';
import { CrustdataContactEnrich } from '../../nodes/CrustdataContactEnrich/CrustdataContactEnrich.node';
import { DEFAULT_NODE_TYPE_NAME } from '../integration/harness';
import { HarnessNodeTypes } from '../integration/harness/nodeTypes';

// The Not Sent output appears only when an option can hold identifiers back. The editor works it
// out from the node description's `outputs` expression, execute() from the same function: both
// must agree, or n8n would drop an output's items.

const description = new CrustdataContactEnrich();

function editorOutputs(parameters: INodeParameters, onError?: INode['onError']) {
	const node: INode = {
		id: 'n',
		name: 'Crustdata',
		type: DEFAULT_NODE_TYPE_NAME,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(onError ? { onError } : {}),
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes(DEFAULT_NODE_TYPE_NAME, description),
	});
	return NodeHelpers.getNodeOutputs(workflow, node, description.description);
}

const names = (outputs: unknown[]) =>
	outputs.map((output) =>
		typeof output === 'string' ? output : (output as { displayName?: string }).displayName,
	);

describe('outputs', () => {
	it.each<[string, INodeParameters, Array<string | undefined>]>([
		['Enrich without options', { operation: 'enrich' }, [undefined]],
		[
			'Enrich with Max Identifiers',
			{ operation: 'enrich', options: { maxIdentifiers: 60 } },
			['Done', 'Not Sent'],
		],
		[
			'Enrich with Max Identifiers 0 (no limit)',
			{ operation: 'enrich', options: { maxIdentifiers: 0 } },
			[undefined],
		],
		[
			'Enrich with Max Credits',
			{ operation: 'enrich', options: { maxCredits: 30 } },
			['Done', 'Not Sent'],
		],
		[
			'Enrich with Max Run Time',
			{ operation: 'enrich', options: { maxRunMinutes: 0.5 } },
			['Done', 'Not Sent'],
		],
		[
			'Enrich with the memory',
			{ operation: 'enrich', options: { skipLookedUp: true } },
			['Done', 'Not Sent'],
		],
		[
			'Enrich with blanks to Not Sent',
			{ operation: 'enrich', options: { noIdentifier: 'notSent' } },
			['Done', 'Not Sent'],
		],
		[
			'Bulk Enrich with Max Identifiers',
			{ operation: 'bulkEnrich', options: { maxIdentifiers: 5 } },
			['Done', 'Not Sent'],
		],
		[
			'Bulk Enrich with Max Credits (not a bulk option)',
			{ operation: 'bulkEnrich', options: { maxCredits: 5 } },
			[undefined],
		],
		[
			'Get Bulk Results with Max Identifiers',
			{ operation: 'getBulkResults', options: { maxIdentifiers: 5 } },
			[undefined],
		],
		[
			'Estimate Cost with Max Identifiers',
			{ operation: 'estimate', options: { maxIdentifiers: 5 } },
			[undefined],
		],
	])('%s', (_label, parameters, expected) => {
		const outputs = editorOutputs(parameters);
		expect(names(outputs)).toEqual(expected);
		expect(outputs).toEqual(configuredOutputs(parameters));
	});

	it('puts the error output after Not Sent when On Error uses it', () => {
		const outputs = editorOutputs(
			{ operation: 'enrich', options: { maxCredits: 1 } },
			'continueErrorOutput',
		);
		expect(names(outputs)).toEqual(['Done', 'Not Sent', 'Error']);
	});
});
