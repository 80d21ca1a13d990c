import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	NodeExecutionHint,
} from 'n8n-workflow';

import type {
	AssembledItems,
	IdentifierOutcome,
	ItemError,
	ItemShaper,
} from '../pipeline/assembleItems';
import { assembleItems, isErrorItem } from '../pipeline/assembleItems';
import type { ItemIdentifiers } from '../pipeline/dedupe';
import { INPUT_FIELD_PREFIX, withInputFields } from '../pipeline/inputFields';
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
	{ itemErrors, stats }: Pick<Run<unknown>, 'itemErrors' | 'stats'>,
	items: ItemIdentifiers[],
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
	hint: NodeExecutionHint,
): INodeExecutionData[][] {
	const assembled = assembleItems(items, itemErrors, outcomes, shapeItem);
	const { main, notSent } = includeInputFields(context, assembled);
	context.addExecutionHints(hint, ...settingsHints(context, stats));
	if (showsNotSent(context)) return [main, notSent];
	// Only the options that show Not Sent hold identifiers back; should one ever be held without
	// them, it still comes out rather than being lost.
	return [[...main, ...notSent]];
}

/**
 * "Include Input Fields": every output item, error and Not Sent items too, gets its input item's
 * fields (see pipeline/inputFields.ts). On the error output n8n itself adds the input item's
 * fields to an error item, and routes it there only while its json holds just the error: those
 * are left to n8n.
 */
function includeInputFields(context: IExecuteFunctions, assembled: AssembledItems): AssembledItems {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	if (options.includeInputFields !== true) return assembled;
	const inputs = context.getInputData();
	const errorOutput = context.getNode().onError === 'continueErrorOutput';
	const renamed = new Set<string>();
	const withInput = (item: INodeExecutionData): INodeExecutionData => {
		if (errorOutput && isErrorItem(item)) return item;
		const { item: index } = item.pairedItem as IPairedItemData;
		const merged = withInputFields(inputs[index]?.json ?? {}, item.json);
		merged.renamed.forEach((name) => renamed.add(name));
		return { ...item, json: merged.json };
	};
	const result = { main: assembled.main.map(withInput), notSent: assembled.notSent.map(withInput) };
	if (renamed.size > 0) {
		const names = [...renamed].map((name) => `${name} → ${INPUT_FIELD_PREFIX}${name}`).join(', ');
		context.addExecutionHints({
			message: `Include Input Fields: input fields with the same name as an output field were kept under a new name: ${names}.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	return result;
}

/**
 * n8n's own settings that cost money here. A node's hints before a run cannot read its settings
 * (their conditions see only parameters), so these come with the run.
 */
function settingsHints(context: IExecuteFunctions, stats: RunStats): NodeExecutionHint[] {
	const node = context.getNode();
	const hints: NodeExecutionHint[] = [];
	if (node.retryOnFail === true) {
		hints.push({
			message:
				'"Retry On Fail" is on: n8n would run the whole node again after a failure, and a new execution would buy again what this one already bought. The node already retries each request safely; turn "Retry On Fail" off in the node\'s settings.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (!context.continueOnFail() && stats.requests > 1) {
		hints.push({
			message:
				'"On Error" is "Stop Workflow": when one request fails, the node stops and the results of the others, already paid for, are lost. Set "On Error" to "Continue (using error output)" in the node\'s settings to keep them.',
			type: 'warning',
			location: 'outputPane',
		});
	}
	return hints;
}
