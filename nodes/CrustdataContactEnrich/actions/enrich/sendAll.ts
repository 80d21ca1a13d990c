import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import type { ItemFailure, NotSentReason } from '../../pipeline/assembleItems';
import { failureOf } from '../../pipeline/assembleItems';
import type { TransportSettings } from '../../transport';
import type { CreditBudget } from '../../transport/budget';
import { toNodeApiError, withNote } from '../../transport/errors';
import {
	BATCH_REQUESTS_PER_MINUTE,
	ENRICH_PATH,
	MAX_IDENTIFIERS_PER_REQUEST,
} from '../../transport/limits';
import type { NextTask } from '../../transport/pool';
import { sendInTurn } from '../../transport/pool';
import { RateLimiter } from '../../transport/rateLimiter';
import type { TransportFailure } from '../../transport/retryPolicy';
import { mayHaveBeenProcessed, refusesAccount } from '../../transport/retryPolicy';
import { jobOutcomesByUrl } from '../batch/jobResults';
import { rejectionError } from '../batch/jobs';
import type { EnrichOutcomes, EnrichPlan } from '../enrichPlan';
import type { EnrichSettings } from '../enrichSettings';
import type { RunStats } from '../runStats';
import { formatCredits } from '../runStats';
import type { Chunk, ChunkResult } from './enrichRequest';
import { enrichChunk } from './enrichRequest';
import { BatchChannel } from './batchChannel';
import { IdentifierFeed } from './identifierFeed';

// Sends what the plan leaves, through the pool, within the run's budgets. A chunk is planned just
// before its turn: as many identifiers as the credit budget can take at their worst case (so the
// cap holds even if every one costs the most), taken from the feed (which checks the memory).
// A failed request fails exactly its own identifiers with Continue On Fail; without it, the first
// failure stops new requests and is thrown once the requests in flight have ended. A refused
// account (401/402/403) stops new requests either way: the rest would be refused the same.

export interface SendContext {
	context: IExecuteFunctions;
	plan: EnrichPlan;
	settings: EnrichSettings;
	transport: TransportSettings & { budget: CreditBudget };
	stats: RunStats;
	continueOnFail: boolean;
	/** Filled with the identifiers claimed in the memory across runs, even if this throws. */
	claimed: string[];
}

/** Identifiers checked in the memory per round when a budget may stop the run early. */
const MEMORY_BATCH_WHEN_LIMITED = MAX_IDENTIFIERS_PER_REQUEST * 15;

export async function sendAll(run: SendContext): Promise<void> {
	const { context, plan, settings, transport, stats, continueOnFail, claimed } = run;
	const { outcomes } = plan;
	const { budget } = transport;
	const limited = budget.limited || plan.deadline !== Infinity;
	const feed = new IdentifierFeed(plan.candidates, {
		lookup: plan.lookup,
		allowed: plan.allowed,
		batchSize: limited ? MEMORY_BATCH_WHEN_LIMITED : Infinity,
		outcomes,
		claimed,
	});
	let stoppedBy: NotSentReason | undefined;
	let firstError: NodeApiError | undefined;
	let refusal: ItemFailure | undefined;

	const next = async (): Promise<NextTask<Chunk>> => {
		const per = settings.creditsPerIdentifier;
		const size = Math.min(MAX_IDENTIFIERS_PER_REQUEST, budget.affordable(per));
		if (size === 0) {
			if (budget.hasReservations()) return 'wait';
			stoppedBy ??= 'maxCredits';
			return 'done';
		}
		const identifiers = await feed.take(size);
		if (identifiers.length === 0) return 'done';
		const cost = identifiers.length * per;
		budget.reserve(cost);
		return { task: { identifiers, cost } };
	};

	const failed = (identifiers: string[], failure: TransportFailure, retries: number) => {
		const halted = haltedBeforeBilling(failure);
		if (halted !== undefined) {
			for (const identifier of identifiers)
				outcomes.set(identifier, { kind: 'notSent', reason: halted });
			stoppedBy ??= halted;
			return true;
		}
		const nodeError = toNodeApiError(context.getNode(), failure, {
			itemIndex: plan.owners.get(identifiers[0])?.[0] ?? 0,
			retries,
			secret: transport.secret,
			address: { baseUrl: transport.baseUrl, path: ENRICH_PATH },
			resendTimedOut: transport.resendTimedOut,
		});
		if (!continueOnFail) {
			firstError ??= nodeError;
			return true;
		}
		const asFailure = failureOf(nodeError);
		for (const identifier of identifiers)
			outcomes.set(identifier, { kind: 'failed', failure: asFailure });
		if (!refusesAccount(failure)) return false;
		refusal = asFailure;
		return true;
	};

	const batch = settings.channel === 'auto' ? batchChannel(run, feed) : undefined;
	const sendInstant = async () =>
		await sendInTurn<Chunk, ChunkResult>({
			limiter: transport.limiter,
			signal: context.getExecutionCancelSignal(),
			deadline: plan.deadline,
			next,
			unsent: (chunk) => {
				budget.release(chunk.cost);
				feed.giveBack(chunk.identifiers);
				stoppedBy ??= 'maxRunMinutes';
			},
			send: async (chunk, ticket) => {
				stats.markSent(chunk.identifiers);
				return await enrichChunk(context, chunk, ticket, settings, transport);
			},
			onResult: (chunk, result) => {
				const stop = result.ok ? false : failed(chunk.identifiers, result.failure, result.retries);
				if (result.ok)
					for (const [identifier, outcome] of result.outcomes) outcomes.set(identifier, outcome);
				if (stop) batch?.stop();
				return stop;
			},
		});
	// When the instant requests end, no job is submitted any more: the rest was theirs.
	const instantDone = sendInstant().finally(() => batch?.stop());
	const [, batchStopped] = await Promise.all([instantDone, batch?.run()]);
	// Jobs may give identifiers back (the account's job slots were full): send them instantly.
	const going = () => !firstError && !refusal && stoppedBy === undefined && feed.remaining > 0;
	while (going()) await sendInstant();
	if (batch !== undefined) {
		const rejected = takeJobResults(run, batch, outcomes);
		if (batchStopped) firstError ??= rejected;
	}
	if (firstError) throw withPaidResultsNote(context, firstError, outcomes, stats);
	const rest = feed.holdBackRest(refusal ? undefined : stoppedBy);
	if (refusal) markUnsent(rest, outcomes, refusal);
}

function batchChannel(run: SendContext, feed: IdentifierFeed): BatchChannel {
	const { context, plan, settings, transport, stats, continueOnFail } = run;
	const waitUntil = Math.min(Date.now() + settings.waitMinutes * 60_000, plan.deadline);
	const channel = {
		fields: settings.batchFields,
		verified: settings.verified,
		submitUntil: plan.deadline,
		waitUntil,
		waitMinutes: settings.waitMinutes,
		pollMs: settings.pollMs,
		creditsPerIdentifier: settings.creditsPerIdentifier,
		stopOnRejection: !continueOnFail,
	};
	// Batch requests have their own limit: they must not spend the enrich endpoint's.
	const limiter = batchLimiter(settings.requestsPerMinute);
	const batchTransport = { ...transport, limiter, recorder: stats.batchRecorder() };
	return new BatchChannel(context, batchTransport, feed, transport.limiter, channel, stats);
}

/**
 * The Auto channel's jobs as outcomes, the same as instant answers; a rejected submit fails its
 * identifiers (its error is returned, for a run that must stop).
 */
function takeJobResults(
	run: SendContext,
	batch: BatchChannel,
	outcomes: EnrichOutcomes,
): NodeApiError | undefined {
	const { context, plan, transport } = run;
	const jobs = jobOutcomesByUrl(batch.submitter.submitted, batch.follower.outcomes);
	for (const [url, outcome] of jobs.outcomes) outcomes.set(url, outcome);
	let first: NodeApiError | undefined;
	for (const rejection of batch.submitter.rejected) {
		const itemIndex = plan.owners.get(rejection.urls[0])?.[0] ?? 0;
		const error = rejectionError(context.getNode(), rejection, itemIndex, transport);
		first ??= error;
		const failure = failureOf(error);
		for (const url of rejection.urls) outcomes.set(url, { kind: 'failed', failure });
	}
	return first;
}

/**
 * A request a run limit stopped before it was sent again, when nothing before could have been
 * billed (the earlier attempt got an error status, or never reached Crustdata): its identifiers
 * were not bought, and go to Not Sent.
 */
function haltedBeforeBilling(failure: TransportFailure): NotSentReason | undefined {
	if (failure.kind !== 'halted') return undefined;
	const before = failure.after;
	const mayBeBilled =
		before !== undefined && (mayHaveBeenProcessed(before) || before.kind === 'malformed');
	return mayBeBilled ? undefined : failure.reason;
}

function markUnsent(identifiers: string[], outcomes: EnrichOutcomes, refusal: ItemFailure) {
	const failure: ItemFailure = {
		...refusal,
		description: `Not sent: Crustdata refused an earlier request of this run (${refusal.description ?? refusal.message}), so the node sent nothing more. Nothing was bought for this item.`,
	};
	for (const identifier of identifiers) {
		if (!outcomes.has(identifier)) outcomes.set(identifier, { kind: 'failed', failure });
	}
}

// Stopping loses what earlier requests bought; say so, and how to keep it next time.
function withPaidResultsNote(
	context: IExecuteFunctions,
	error: NodeApiError,
	outcomes: EnrichOutcomes,
	stats: RunStats,
): NodeApiError {
	const enriched = [...outcomes].filter(
		([identifier, { kind }]) => kind === 'answered' && stats.wasSent(identifier),
	).length;
	if (enriched === 0) return error;
	const note = `${enriched} identifiers had already been enriched for ${formatCredits(stats.credits)} credits. Set "On Error" to "Continue" in the node's settings to keep results that were already paid for when a request fails.`;
	return withNote(context.getNode(), error, Number(error.context.itemIndex ?? 0), note);
}

/**
 * Batch submits and status checks have their own limit, not the enrich endpoint's: "Requests per
 * Minute", and at least one a second.
 */
function batchLimiter(requestsPerMinute: number): RateLimiter {
	const perMinute = Math.max(requestsPerMinute, BATCH_REQUESTS_PER_MINUTE);
	return new RateLimiter({ requestsPerMinute: perMinute, now: Date.now });
}
