import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import * as bulkEnrich from './bulkEnrich/bulkEnrich.operation';
import * as enrich from './enrich/enrich.operation';
import * as estimate from './estimate/estimate.operation';
import * as getBulkResults from './getBulkResults/getBulkResults.operation';

type Operation = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Operation> = {
	enrich: enrich.execute,
	bulkEnrich: bulkEnrich.execute,
	getBulkResults: getBulkResults.execute,
	estimate: estimate.execute,
};

// Reads `operation` once and hands the operation every item: batching spans items.
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = OPERATIONS[operation];
	if (run === undefined) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported.`, {
			itemIndex: 0,
		});
	}
	try {
		return await run.call(this, items);
	} catch (error) {
		throw nodeErrorOf(this, error);
	}
}

/**
 * What the node throws: its own errors as they are; a wait or request ended by n8n's cancel signal
 * (which rejects with whatever reason n8n gave, often not an Error at all) as a plain "cancelled";
 * anything else wrapped, so n8n shows it against this node.
 */
function nodeErrorOf(
	context: IExecuteFunctions,
	error: unknown,
): NodeApiError | NodeOperationError {
	if (context.getExecutionCancelSignal()?.aborted) {
		return new NodeOperationError(
			context.getNode(),
			'The execution was cancelled while the node was waiting for Crustdata',
			{
				itemIndex: 0,
				description:
					'Nothing was output. Results of requests that had already been answered were bought but are lost with the execution; set "Max Run Time (Minutes)" under Options to stop in time and keep them.',
			},
		);
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error instanceof Error ? error : String(error), {
		itemIndex: 0,
	});
}
