import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import type { IdentifierOutcome, ItemFailure } from '../../pipeline/assembleItems';
import { eachAnswer, failureOf } from '../../pipeline/assembleItems';
import { chunk } from '../../pipeline/chunk';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import {
	mapEntriesToIdentifiers,
	noMatchEntries,
	parseEnrichResponse,
} from '../../pipeline/mapBack';
import { shapeEntry } from '../../pipeline/shapeOutput';
import { crustdataApiRequest } from '../../transport';
import type { TransportSettings } from '../../transport';
import { isApiNotFound, toNodeApiError, withNote } from '../../transport/errors';
import { ENRICH_PATH } from '../../transport/limits';
import { sendInTurn } from '../../transport/pool';
import type { RequestTicket } from '../../transport/rateLimiter';
import type { TransportFailure } from '../../transport/retryPolicy';
import { refusesAccount } from '../../transport/retryPolicy';
import type { ContactField, EnrichEntry, EnrichRequestBody, IdentifierType } from '../../types';
import { IDENTIFIER_BODY_KEY, MATCH_TYPE } from '../../types';
import { collectIdentifiers } from '../identifiers';
import { beginRun, finishRun } from '../run';
import type { RunStats } from '../runStats';
import { formatCredits, summaryHint } from '../runStats';
import type { CommonSettings } from '../settings';
import { connect, readCommonSettings, readContactFields } from '../settings';

type Outcomes = Map<string, IdentifierOutcome<EnrichEntry>>;

export interface EnrichSettings extends CommonSettings {
	identifierType: IdentifierType;
	fields: ContactField[];
}

export function readEnrichSettings(context: IExecuteFunctions): EnrichSettings {
	const identifierType = context.getNodeParameter('identifyBy', 0) as IdentifierType;
	const fields = readContactFields(context);
	return { ...readCommonSettings(context, identifierType), identifierType, fields };
}

function requestBody(settings: EnrichSettings, identifiers: string[]): IDataObject {
	const body: EnrichRequestBody = {
		[IDENTIFIER_BODY_KEY[settings.identifierType]]: identifiers,
		fields: settings.fields,
	};
	if (settings.verified) body.verified = true;
	return body as unknown as IDataObject;
}

type ChunkResult =
	| { ok: true; outcomes: Outcomes }
	| { ok: false; failure: TransportFailure; retries: number };

/** Answers to outcomes, by identity; an identifier the answer left out fails alone. */
function chunkOutcomes(identifiers: string[], entries: EnrichEntry[], type: IdentifierType): Outcomes {
	const outcomes: Outcomes = new Map();
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

async function enrichChunk(
	context: IExecuteFunctions,
	identifiers: string[],
	ticket: RequestTicket,
	settings: EnrichSettings,
	transport: TransportSettings,
): Promise<ChunkResult> {
	const request = {
		method: 'POST' as const,
		path: ENRICH_PATH,
		body: requestBody(settings, identifiers),
	};
	const result = await crustdataApiRequest.call(context, request, transport, ticket);
	if (result.ok) {
		const entries = parseEnrichResponse(result.response.body);
		if (entries !== undefined) {
			return { ok: true, outcomes: chunkOutcomes(identifiers, entries, settings.identifierType) };
		}
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
		const type = settings.identifierType;
		return { ok: true, outcomes: chunkOutcomes(identifiers, noMatchEntries(identifiers, MATCH_TYPE[type]), type) };
	}
	return result;
}

interface EnrichRun {
	settings: EnrichSettings;
	transport: TransportSettings;
	stats: RunStats;
	owners: Map<string, number[]>;
	outcomes: Outcomes;
	continueOnFail: boolean;
}

// Sends every chunk through the pool. A failed request fails exactly its own identifiers with
// Continue On Fail; without it, the first failure stops new requests and is thrown once the
// requests in flight have ended (their results count in the "already bought" note). A refused
// account (401/402/403) stops new requests either way: the rest would be refused the same.
async function enrichAll(
	context: IExecuteFunctions,
	chunks: string[][],
	run: EnrichRun,
): Promise<void> {
	const { settings, transport, stats, owners, outcomes, continueOnFail } = run;
	let firstError: NodeApiError | undefined;
	let refusal: ItemFailure | undefined;
	await sendInTurn(chunks, {
		limiter: transport.limiter,
		signal: context.getExecutionCancelSignal(),
		send: async (identifiers, ticket) => {
			stats.markSent(identifiers);
			return await enrichChunk(context, identifiers, ticket, settings, transport);
		},
		onResult: (identifiers, result) => {
			if (result.ok) {
				for (const [identifier, outcome] of result.outcomes) outcomes.set(identifier, outcome);
				return false;
			}
			const nodeError = toNodeApiError(context.getNode(), result.failure, {
				itemIndex: owners.get(identifiers[0])?.[0] ?? 0,
				retries: result.retries,
				secret: transport.secret,
				address: { baseUrl: transport.baseUrl, path: ENRICH_PATH },
				resendTimedOut: transport.resendTimedOut,
			});
			if (!continueOnFail) {
				firstError ??= nodeError;
				return true;
			}
			const failure = failureOf(nodeError);
			for (const identifier of identifiers) outcomes.set(identifier, { kind: 'failed', failure });
			if (!refusesAccount(result.failure)) return false;
			refusal = failure;
			return true;
		},
	});
	if (firstError) throw withPaidResultsNote(context, firstError, outcomes, stats);
	if (refusal) markUnsent(chunks, outcomes, refusal);
}

function markUnsent(chunks: string[][], outcomes: Outcomes, refusal: ItemFailure) {
	const failure: ItemFailure = {
		...refusal,
		description: `Not sent: Crustdata refused an earlier request of this run (${refusal.description ?? refusal.message}), so the node sent nothing more. Nothing was bought for this item.`,
	};
	for (const identifier of chunks.flat()) {
		if (!outcomes.has(identifier)) outcomes.set(identifier, { kind: 'failed', failure });
	}
}

// Stopping loses what earlier requests bought; say so, and how to keep it next time.
function withPaidResultsNote(
	context: IExecuteFunctions,
	error: NodeApiError,
	outcomes: Outcomes,
	stats: RunStats,
): NodeApiError {
	const enriched = [...outcomes.values()].filter(({ kind }) => kind === 'answered').length;
	if (enriched === 0) return error;
	const note = `${enriched} identifiers had already been enriched for ${formatCredits(stats.credits)} credits. Set "On Error" to "Continue" in the node's settings to keep results that were already paid for when a request fails.`;
	return withNote(context.getNode(), error, Number(error.context.itemIndex ?? 0), note);
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readEnrichSettings(this);
	const run = beginRun(this, collectIdentifiers(this, items, settings.identifierType));
	const { distinct, owners } = dedupeIdentifiers(run.valid);
	const outcomes: Outcomes = new Map();
	if (distinct.length > 0) {
		const transport = await connect(this, settings, run.stats);
		const { stats, continueOnFail } = run;
		await enrichAll(this, chunk(distinct), {
			settings,
			transport,
			stats,
			owners,
			outcomes,
			continueOnFail,
		});
	}
	run.stats.countOutcomes(outcomes);
	const shape = eachAnswer((identifier, entry: EnrichEntry) =>
		shapeEntry(identifier, entry, settings.shape),
	);
	return finishRun(this, run, run.valid, outcomes, shape, summaryHint(run.stats));
}
