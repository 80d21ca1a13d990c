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

/** Why an identifier was held back: nothing was bought for it. */
export type NotSentReason =
	| 'maxIdentifiers'
	| 'maxCredits'
	| 'maxRunMinutes'
	| 'lookedUpBefore'
	| 'noIdentifier';

export type IdentifierOutcome<A> =
	| { kind: 'answered'; answer: A }
	| { kind: 'failed'; failure: ItemFailure }
	| { kind: 'notSent'; reason: NotSentReason };

const NOT_SENT_MESSAGES: Record<NotSentReason, string> = {
	maxIdentifiers: 'the run reached "Max Identifiers per Run"',
	maxCredits: 'sending them could have taken the run past "Max Credits per Run"',
	maxRunMinutes: '"Max Run Time (Minutes)" ran out before their request could start',
	lookedUpBefore:
		'this node looked them up before with the same Fields, within "Look Up Again After (Days)"',
	noIdentifier: 'the item has no identifier',
};

/** A Not Sent item: the identifiers held back and why. Nothing was bought for them. */
export function notSentItem(
	itemIndex: number,
	reason: NotSentReason,
	identifiers: string[],
): INodeExecutionData {
	const message = `Not sent: ${NOT_SENT_MESSAGES[reason]}. Nothing was bought for ${reason === 'noIdentifier' ? 'this item' : 'these identifiers'}.`;
	return { json: { reason, identifiers, message }, pairedItem: { item: itemIndex } };
}

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

/** One input item's output: its results and error items, and its Not Sent items. */
/** Whether an output item is an error item (n8n sends it to the error output). */
export function isErrorItem(item: INodeExecutionData): boolean {
	return typeof item.json.error === 'string' && 'details' in item.json;
}

function itemResults<A>(
	{ itemIndex, identifiers }: ItemIdentifiers,
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
): AssembledItems {
	if (identifiers.length === 0)
		return { main: [], notSent: [notSentItem(itemIndex, 'noIdentifier', [])] };
	const answered: Array<{ identifier: string; answer: A }> = [];
	const failures = new Map<ItemFailure, string[]>();
	const held = new Map<NotSentReason, string[]>();
	for (const identifier of identifiers) {
		const outcome = outcomes.get(identifier);
		if (outcome === undefined) continue;
		if (outcome.kind === 'failed') {
			failures.set(outcome.failure, [...(failures.get(outcome.failure) ?? []), identifier]);
		} else if (outcome.kind === 'notSent') {
			held.set(outcome.reason, [...(held.get(outcome.reason) ?? []), identifier]);
		} else {
			answered.push({ identifier, answer: outcome.answer });
		}
	}
	const main: INodeExecutionData[] = shapeItem(answered).map((json) => ({
		json,
		pairedItem: { item: itemIndex },
	}));
	for (const [failure, failedIdentifiers] of failures) {
		main.push(errorItem(itemIndex, failure, failedIdentifiers));
	}
	const notSent = [...held].map(([reason, heldBack]) => notSentItem(itemIndex, reason, heldBack));
	return { main, notSent };
}

export interface AssembledItems {
	/** Results and error items, in input order. */
	main: INodeExecutionData[];
	/** Not Sent items, in input order. */
	notSent: INodeExecutionData[];
}

export function assembleItems<A>(
	valid: ItemIdentifiers[],
	invalid: ItemError[],
	outcomes: Map<string, IdentifierOutcome<A>>,
	shapeItem: ItemShaper<A>,
): AssembledItems {
	const perItem = new Map<number, AssembledItems>();
	for (const { itemIndex, ...failure } of invalid) {
		perItem.set(itemIndex, { main: [errorItem(itemIndex, failure)], notSent: [] });
	}
	for (const item of valid) perItem.set(item.itemIndex, itemResults(item, outcomes, shapeItem));
	const inOrder = [...perItem.keys()].sort((a, b) => a - b).map((index) => perItem.get(index));
	return {
		main: inOrder.flatMap((item) => item?.main ?? []),
		notSent: inOrder.flatMap((item) => item?.notSent ?? []),
	};
}
