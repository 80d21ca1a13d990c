import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
} from 'n8n-workflow';

import { collectIdentifiers, itemErrorsOf } from '../identifiers';
import type { CommonSettings } from '../settings';
import { createTransportSettings, readCommonSettings, settingsError } from '../settings';
import { chunk } from '../../pipeline/chunk';
import { dedupeIdentifiers } from '../../pipeline/dedupe';
import type { FailedRequest, IdentifierOutcome } from '../../pipeline/assembleItems';
import { assembleItems, failedRequestOf } from '../../pipeline/assembleItems';
import {
	mapEntriesToIdentifiers,
	noMatchEntries,
	parseEnrichResponse,
} from '../../pipeline/mapBack';
import { crustdataApiRequest } from '../../transport';
import type { TransportSettings } from '../../transport';
import { toNodeApiError } from '../../transport/errors';
import type { RequestFailure } from '../../transport/retryPolicy';
import { refusesAccount } from '../../transport/retryPolicy';
import type { ContactField, EnrichEntry, EnrichRequestBody, IdentifierType } from '../../types';
import { IDENTIFIER_BODY_KEY, MATCH_TYPE } from '../../types';
import { creditsUsed, RunStats, summaryHint } from './runStats';
import { sendChunks } from './sendChunks';

export interface EnrichSettings extends CommonSettings {
	identifierType: IdentifierType;
	fields: ContactField[];
}

export function readEnrichSettings(context: IExecuteFunctions): EnrichSettings {
	const identifierType = context.getNodeParameter('identifyBy', 0) as IdentifierType;
	const fields = context.getNodeParameter('fields', 0, []) as ContactField[];
	if (!Array.isArray(fields) || fields.length === 0) {
		// Sending no `fields` would buy every contact type: the most expensive request.
		throw settingsError(
			context,
			'Select at least one field under "Fields": with none, every contact type would be bought.',
		);
	}
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
	| { ok: true; outcomes: Map<string, IdentifierOutcome> }
	| { ok: false; failure: RequestFailure; retries: number };

async function enrichChunk(
	context: IExecuteFunctions,
	identifiers: string[],
	settings: EnrichSettings,
	transport: TransportSettings,
	stats: RunStats,
): Promise<ChunkResult> {
	const body = requestBody(settings, identifiers);
	const result = await crustdataApiRequest.call(
		context,
		{ method: 'POST', path: '/person/contact/enrich', body },
		transport,
	);
	stats.requests += 1 + result.retries;
	const headers = result.ok
		? result.response.headers
		: 'headers' in result.failure
			? result.failure.headers
			: {};
	stats.credits += creditsUsed(headers);

	let entries: EnrichEntry[] | undefined;
	if (result.ok) {
		entries = parseEnrichResponse(result.response.body);
		if (entries === undefined) {
			const detail = 'the body is not the documented list of results';
			return {
				ok: false,
				failure: { kind: 'malformed', status: result.response.statusCode, headers, detail },
				retries: result.retries,
			};
		}
	} else if (result.failure.kind === 'status' && result.failure.status === 404) {
		// Older API versions answer 404 when nothing in the request matched.
		entries = noMatchEntries(identifiers, MATCH_TYPE[settings.identifierType]);
	} else {
		return result;
	}

	stats.sent += identifiers.length;
	const outcomes = new Map<string, IdentifierOutcome>();
	const { answered, missing } = mapEntriesToIdentifiers(identifiers, entries);
	for (const [identifier, entry] of answered) outcomes.set(identifier, { kind: 'answered', entry });
	if (missing.length > 0) {
		const failure: FailedRequest = {
			message: `Crustdata answered ${answered.size} of the ${identifiers.length} identifiers in one request and left this one out; it was not sent again, because the request may already have been billed. Run the item again to retry it.`,
		};
		for (const identifier of missing) outcomes.set(identifier, { kind: 'failed', failure });
	}
	return { ok: true, outcomes };
}

interface EnrichRun {
	settings: EnrichSettings;
	transport: TransportSettings & { secret: string };
	stats: RunStats;
	owners: Map<string, number[]>;
	outcomes: Map<string, IdentifierOutcome>;
}

// Sends every chunk through the pool. A failed request fails exactly its own identifiers with
// Continue On Fail; without it, the first failure stops new requests and is thrown once the
// requests in flight have ended (their results count in the "already bought" note). A refused
// account (401/402/403) stops new requests either way: the rest would be refused the same.
async function enrichAll(
	context: IExecuteFunctions,
	chunks: string[][],
	{ settings, transport, stats, owners, outcomes }: EnrichRun,
): Promise<void> {
	const continueOnFail = context.continueOnFail();
	let firstError: NodeApiError | undefined;
	let refusal: FailedRequest | undefined;
	await sendChunks(chunks, {
		limiter: transport.limiter,
		signal: context.getExecutionCancelSignal(),
		send: async (identifiers) =>
			await enrichChunk(context, identifiers, settings, transport, stats),
		onResult: (identifiers, result) => {
			if (result.ok) {
				for (const [identifier, outcome] of result.outcomes) outcomes.set(identifier, outcome);
				return false;
			}
			const nodeError = toNodeApiError(context.getNode(), result.failure, {
				itemIndex: owners.get(identifiers[0])?.[0] ?? 0,
				retries: result.retries,
				secret: transport.secret,
			});
			if (!continueOnFail) {
				firstError ??= nodeError;
				return true;
			}
			const failure = failedRequestOf(nodeError);
			for (const identifier of identifiers) outcomes.set(identifier, { kind: 'failed', failure });
			if (!refusesAccount(result.failure)) return false;
			refusal = failure;
			return true;
		},
	});
	if (firstError) throw withPaidResultsNote(firstError, stats);
	if (refusal) markUnsent(chunks, outcomes, refusal);
}

function markUnsent(
	chunks: string[][],
	outcomes: Map<string, IdentifierOutcome>,
	refusal: FailedRequest,
) {
	const failure: FailedRequest = {
		...refusal,
		description: `Not sent: Crustdata refused an earlier request of this run (${refusal.description ?? refusal.message}), so the node sent nothing more. Nothing was bought for this item.`,
	};
	for (const identifier of chunks.flat()) {
		if (!outcomes.has(identifier)) outcomes.set(identifier, { kind: 'failed', failure });
	}
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readEnrichSettings(this);
	const continueOnFail = this.continueOnFail();
	const { valid, invalid } = collectIdentifiers(this, items, settings.identifierType);
	if (invalid.length > 0 && !continueOnFail) throw invalid[0].error;

	const { distinct, owners } = dedupeIdentifiers(valid);
	const stats = new RunStats();
	const outcomes = new Map<string, IdentifierOutcome>();
	if (distinct.length > 0) {
		const transport = await createTransportSettings(this, settings);
		await enrichAll(this, chunk(distinct), { settings, transport, stats, owners, outcomes });
	}
	stats.countOutcomes(outcomes);
	this.addExecutionHints(summaryHint(stats));
	const itemErrors = itemErrorsOf(invalid);
	return [assembleItems(valid, itemErrors, outcomes, settings.shape)];
}

// Stopping loses what earlier requests bought; say so, and how to keep it next time.
function withPaidResultsNote(error: NodeApiError, stats: RunStats): NodeApiError {
	if (stats.sent === 0) return error;
	error.description =
		`${error.description ?? ''} ${stats.succeededSummary()} Set "On Error" to "Continue" in the node's settings to keep results that were already paid for when a request fails.`.trim();
	return error;
}
