import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { uniqueValues } from '../../pipeline/dedupe';
import { normaliseAll } from '../../pipeline/normalise';
import { parseIdentifierInput, quoteValue } from '../../pipeline/parseInput';
import type { InvalidItem } from '../identifiers';
import { readEachItem } from '../identifiers';

// Reads each item's batch ids (required) and its optional profile URL filter, with the same list
// syntax as the identifier fields: one value, a separated list, or an expression returning a list.

export interface ItemJobs {
	itemIndex: number;
	batchIds: string[];
	/** Normalised profile URLs to keep; undefined keeps every result of the jobs. */
	only?: string[];
}

// Crustdata's batch ids are UUIDs; anything a URL path could misread is refused.
const BATCH_ID = /^[A-Za-z0-9_-]{1,128}$/;

function readItem(context: IExecuteFunctions, itemIndex: number): string | ItemJobs {
	const ids = parseIdentifierInput(context.getNodeParameter('batchIds', itemIndex, ''));
	if (!ids.ok) return `Item ${itemIndex}: "Batch IDs" cannot be read: ${ids.reason}.`;
	if (ids.values.length === 0) {
		return `Item ${itemIndex} has no batch ID: "Batch IDs" is empty for this item. Map it to the batch IDs Bulk Enrich returned, such as {{ $json.batchIds }}.`;
	}
	const bad = ids.values.find((id) => !BATCH_ID.test(id));
	if (bad !== undefined) {
		return `Item ${itemIndex}: ${quoteValue(bad)} is not a batch ID. Batch IDs look like 3f2c9a1e-5b7d-4c1a-9e2f-0a1b2c3d4e5f.`;
	}
	const filter = parseIdentifierInput(context.getNodeParameter('onlyProfileUrls', itemIndex, ''));
	if (!filter.ok) return `Item ${itemIndex}: "Only Profile URLs" cannot be read: ${filter.reason}.`;
	const only = normaliseAll('profileUrl', filter.values);
	if (!only.ok) {
		return `Item ${itemIndex}: ${quoteValue(only.value)} in "Only Profile URLs" is not a valid profile URL: ${only.reason}.`;
	}
	return {
		itemIndex,
		batchIds: uniqueValues(ids.values),
		only: only.values.length > 0 ? only.values : undefined,
	};
}

export function readJobIds(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
): { valid: ItemJobs[]; invalid: InvalidItem[] } {
	return readEachItem(context, items, 'a parameter', (itemIndex) => readItem(context, itemIndex));
}
