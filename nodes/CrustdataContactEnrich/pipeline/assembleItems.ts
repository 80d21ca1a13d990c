import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ItemIdentifiers } from './dedupe';

// Turns per-identifier outcomes back into output items, in input order, each paired to the input
// item its identifier came from. What an answer becomes is the operation's shaper; the skeleton
// (order, pairing, error items) is the same for every operation.

/** Why an identifier (or a whole input item) became an error item. */
export interface ItemFailure {
	message: string;
	description?: string;
	httpCode?: string;
}

export type IdentifierOutcome<A> =
	| { kind: 'answered'; answer: A }
	| { kind: 'failed'; failure: ItemFailure };

/** An input item rejected before anything was sent. */
export interface ItemError extends ItemFailure {
	itemIndex: number;
}

/** The json objects one input item gets from its answered identifiers, in identifier order. */
export type ItemShaper<A> = (answered: Array<{ identifier: string; answer: A }>) => IDataObject[];

/** A shaper that shapes each identifier's answer on its own. */
export function eachAnswer<A>(
	shape: (identifier: string, answer: A) => IDataObject[],
): ItemShaper<A> {
	return (answered) => answered.flatMap(({ identifier, answer }) => shape(identifier, answer));
}

/** What an error item keeps of an n8n error (whose optional fields may be null). */
export function failureOf(error: {
	message: string;
	description?: string | null;
	httpCode?: string | null;
}): ItemFailure {
	return {
		message: error.message,
		description: error.description ?? undefined,
		httpCode: error.httpCode ?? undefined,
	};
}

export function errorItem(
	itemIndex: number,
	failure: ItemFailure,
	identifiers?: string[],
): INodeExecutionData {
	const details: IDataObject = {};
	if (failure.description !== undefined && failure.description !== failure.message) {
		details.description = failure.description;
	}
	if (failure.httpCode !== undefined) details.httpCode = failure.httpCode;
	if (identifiers !== undefined) details.identifiers = identifiers;
	// n8n sends an item to the error output when its json holds only `error`, `message` or `details`.
	return { json: { error: failure.message, details }, pairedItem: { item: itemIndex } };
}

function itemResults<A>(
	{ itemIndex, identifiers }: ItemIdentifiers,
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
): INodeExecutionData[] {
	const answered: Array<{ identifier: string; answer: A }> = [];
	const failures = new Map<ItemFailure, string[]>();
	for (const identifier of identifiers) {
		const outcome = outcomes.get(identifier);
		if (outcome === undefined) continue;
		if (outcome.kind === 'failed') {
			failures.set(outcome.failure, [...(failures.get(outcome.failure) ?? []), identifier]);
		} else {
			answered.push({ identifier, answer: outcome.answer });
		}
	}
	const results: INodeExecutionData[] = shapeItem(answered).map((json) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
	for (const [failure, failedIdentifiers] of failures) {
		results.push(errorItem(itemIndex, failure, failedIdentifiers));
	}
	return results;
}

export function assembleItems<A>(
	valid: ItemIdentifiers[],
	invalid: ItemError[],
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
): INodeExecutionData[] {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (const { itemIndex, ...failure } of invalid) {
		perItem.set(itemIndex, [errorItem(itemIndex, failure)]);
	}
	for (const item of valid) perItem.set(item.itemIndex, itemResults(item, outcomes, shapeItem));
	return [...perItem.keys()]
		.sort((a, b) => a - b)
		.flatMap((itemIndex) => perItem.get(itemIndex) ?? []);
}
