import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { NodeConnectionTypes, UnexpectedError } from 'n8n-workflow';

export const INPUT_NODE_TYPE = 'n8n-nodes-harness.input';
export const PROBE_NODE_TYPE = 'n8n-nodes-harness.probe';

/**
 * The node in front of the node under test. Its output is pinned to the test's items, so
 * the node under test sees a real predecessor: `$('Input').item`, paired-item lineage and
 * the error output's merge of input fields behave as in a user's workflow.
 */
class InputNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Harness Input',
		name: 'input',
		group: ['trigger'],
		version: 1,
		description: 'Emits the test items (pinned).',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/**
 * Evaluates the `value` expression once per item it receives, after the node under test:
 * the only way to see whether the node's `pairedItem`s let `$('Node Under Test').item`
 * or `$('Input').item` resolve downstream.
 */
class ProbeNode implements INodeType {
	description: INodeType['description'] = {
		displayName: 'Harness Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Evaluates an expression per item.',
		defaults: { name: 'Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Value', name: 'value', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_item, i) => ({
				json: { value: this.getNodeParameter('value', i) as IDataObject[string] },
				pairedItem: { item: i },
			})),
		];
	}
}

/** Resolves the node under test by the type name a user's workflow would carry. */
export class HarnessNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;

	constructor(typeName: string, nodeType: INodeType) {
		this.types = {
			[INPUT_NODE_TYPE]: new InputNode(),
			[PROBE_NODE_TYPE]: new ProbeNode(),
			[typeName]: nodeType,
		};
	}

	getByName(nodeType: string): INodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (type === undefined) {
			throw new UnexpectedError(`Unknown node type "${nodeType}" in the test harness`);
		}
		return type;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
