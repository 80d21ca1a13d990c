import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import * as bulkEnrich from './bulkEnrich/bulkEnrich.operation';
import * as enrich from './enrich/enrich.operation';
import * as getBulkResults from './getBulkResults/getBulkResults.operation';

type Operation = (
	this: IExecuteFunctions,
	items: INodeExecutionData[],
) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Operation> = {
	enrich: enrich.execute,
	bulkEnrich: bulkEnrich.execute,
	getBulkResults: getBulkResults.execute,
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
	return await run.call(this, items);
}
