import type { IExecuteFunctions, INodeExecutionData, NodeExecutionHint } from 'n8n-workflow';

import type { IdentifierOutcome, ItemError, ItemShaper } from '../pipeline/assembleItems';
import { assembleItems } from '../pipeline/assembleItems';
import type { ItemIdentifiers } from '../pipeline/dedupe';
import type { InvalidItem } from './identifiers';
import { itemErrorsOf } from './identifiers';
import { RunStats } from './runStats';
import { showsNotSent } from './runLimits';

// The start and the end every operation shares.

export interface Run<T> {
	continueOnFail: boolean;
	/** The items that were read whole, in input order. */
	valid: T[];
	/** The error items of the items that were not. */
	itemErrors: ItemError[];
	stats: RunStats;
}

/**
 * Every item was read before this: without Continue On Fail the first invalid item stops the node
 * here, before anything is sent.
 */
export function beginRun<T>(
	context: IExecuteFunctions,
	{ valid, invalid }: { valid: T[]; invalid: InvalidItem[] },
	{ countInvalid = false }: { countInvalid?: boolean } = {},
): Run<T> {
	const continueOnFail = context.continueOnFail();
	// Estimate Cost reports invalid items instead of stopping at the first.
	if (invalid.length > 0 && !continueOnFail && !countInvalid) throw invalid[0].error;
	return { continueOnFail, valid, itemErrors: itemErrorsOf(invalid), stats: new RunStats() };
}

/**
 * The run's hint and its output, in input order, every item paired: results and error items on
 * the first output; Not Sent items on the second when the node shows it (see runLimits.ts).
 */
export function finishRun<A>(
	context: IExecuteFunctions,
	{ itemErrors }: Pick<Run<unknown>, 'itemErrors'>,
	items: ItemIdentifiers[],
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
	hint: NodeExecutionHint,
): INodeExecutionData[][] {
	context.addExecutionHints(hint);
	const { main, notSent } = assembleItems(items, itemErrors, outcomes, shapeItem);
	if (showsNotSent(context)) return [main, notSent];
	// Only the options that show Not Sent hold identifiers back; should one ever be held without
	// them, it still comes out rather than being lost.
	return [[...main, ...notSent]];
}
