import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ItemFailure } from '../../pipeline/assembleItems';
import {
	mapEntriesToIdentifiers,
	noMatchEntries,
	parseEnrichResponse,
} from '../../pipeline/mapBack';
import { crustdataApiRequest } from '../../transport';
import type { TransportSettings } from '../../transport';
import { isApiNotFound } from '../../transport/errors';
import { ENRICH_PATH } from '../../transport/limits';
import type { RequestTicket } from '../../transport/rateLimiter';
import type { TransportFailure } from '../../transport/retryPolicy';
import type { EnrichEntry, EnrichRequestBody, IdentifierType } from '../../types';
import { IDENTIFIER_BODY_KEY, MATCH_TYPE } from '../../types';
import type { EnrichOutcomes } from '../enrichPlan';
import type { EnrichSettings } from '../enrichSettings';

// One request of up to 25 identifiers, and what its answer means for each of them.

export interface Chunk {
	identifiers: string[];
	/** Its worst-case credits, reserved from the run's budget before its turn. */
	cost: number;
}

export type ChunkResult =
	| { ok: true; outcomes: EnrichOutcomes }
	| { ok: false; failure: TransportFailure; retries: number };

function requestBody(settings: EnrichSettings, identifiers: string[]): IDataObject {
	const body: EnrichRequestBody = {
		[IDENTIFIER_BODY_KEY[settings.identifierType]]: identifiers,
		fields: settings.fields,
	};
	if (settings.verified) body.verified = true;
	return body as unknown as IDataObject;
}

/** Answers to outcomes, by identity; an identifier the answer left out fails alone. */
function chunkOutcomes(
	identifiers: string[],
	entries: EnrichEntry[],
	type: IdentifierType,
): EnrichOutcomes {
	const outcomes: EnrichOutcomes = new Map();
	const { answered, missing } = mapEntriesToIdentifiers(identifiers, entries, type);
	for (const [identifier, answer] of answered)
		outcomes.set(identifier, { kind: 'answered', answer });
	if (missing.length > 0) {
		const failure: ItemFailure = {
			message: `Crustdata answered ${answered.size} of the ${identifiers.length} identifiers in one request and left this one out; it was not sent again, because the request may already have been billed. Run the item again to retry it.`,
		};
		for (const identifier of missing) outcomes.set(identifier, { kind: 'failed', failure });
	}
	return outcomes;
}

export async function enrichChunk(
	context: IExecuteFunctions,
	{ identifiers, cost }: Chunk,
	ticket: RequestTicket,
	settings: EnrichSettings,
	transport: TransportSettings,
): Promise<ChunkResult> {
	const request = {
		method: 'POST' as const,
		path: ENRICH_PATH,
		body: requestBody(settings, identifiers),
		cost,
	};
	const result = await crustdataApiRequest.call(context, request, transport, ticket);
	const type = settings.identifierType;
	if (result.ok) {
		const entries = parseEnrichResponse(result.response.body);
		if (entries !== undefined)
			return { ok: true, outcomes: chunkOutcomes(identifiers, entries, type) };
		const { statusCode: status, headers } = result.response;
		const detail = 'the body is not the documented list of results';
		return {
			ok: false,
			failure: { kind: 'malformed', status, headers, detail },
			retries: result.retries,
		};
	}
	if (isApiNotFound(result.failure)) {
		// Older API versions answer 404, with their own JSON error, when nothing in the request
		// matched. Any other 404 is a wrong address, and fails these items (see transport/errors).
		return {
			ok: true,
			outcomes: chunkOutcomes(identifiers, noMatchEntries(identifiers, MATCH_TYPE[type]), type),
		};
	}
	return result;
}
