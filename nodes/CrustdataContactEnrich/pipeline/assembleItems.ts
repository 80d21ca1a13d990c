import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { EnrichEntry } from '../types';
import type { ItemIdentifiers } from './dedupe';
import type { ShapeOptions } from './shapeOutput';
import { shapeEntry } from './shapeOutput';

// Turns per-identifier outcomes back into output items, in input order, each paired to the input
// item its identifier came from. Two items carrying one identifier each get their own copy.

export interface FailedRequest {
	message: string;
	description?: string;
	httpCode?: string;
}

export type IdentifierOutcome =
	| { kind: 'answered'; entry: EnrichEntry }
	| { kind: 'failed'; failure: FailedRequest };

/** An input item rejected before anything was sent. */
export interface ItemError extends FailedRequest {
	itemIndex: number;
}

/** What an error item keeps of an n8n error (whose optional fields may be null). */
export function failedRequestOf(error: {
	message: string;
	description?: string | null;
	httpCode?: string | null;
}): FailedRequest {
	return {
		message: error.message,
		description: error.description ?? undefined,
		httpCode: error.httpCode ?? undefined,
	};
}

export function errorItem(
	itemIndex: number,
	failure: FailedRequest,
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

export function assembleItems(
	valid: ItemIdentifiers[],
	invalid: ItemError[],
	outcomes: Map<string, IdentifierOutcome>,
	shape: ShapeOptions,
): INodeExecutionData[] {
	const perItem = new Map<number, INodeExecutionData[]>();
	for (const { itemIndex, ...failure } of invalid) {
		perItem.set(itemIndex, [errorItem(itemIndex, failure)]);
	}
	for (const { itemIndex, identifiers } of valid) {
		const results: INodeExecutionData[] = [];
		const failures = new Map<FailedRequest, string[]>();
		for (const identifier of identifiers) {
			const outcome = outcomes.get(identifier);
			if (outcome === undefined) continue;
			if (outcome.kind === 'failed') {
				failures.set(outcome.failure, [...(failures.get(outcome.failure) ?? []), identifier]);
				continue;
			}
			for (const json of shapeEntry(identifier, outcome.entry, shape)) {
				results.push({ json, pairedItem: { item: itemIndex } });
			}
		}
		for (const [failure, failedIdentifiers] of failures) {
			results.push(errorItem(itemIndex, failure, failedIdentifiers));
		}
		perItem.set(itemIndex, results);
	}
	return [...perItem.keys()]
		.sort((a, b) => a - b)
		.flatMap((itemIndex) => perItem.get(itemIndex) ?? []);
}
