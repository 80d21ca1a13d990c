import type { IDataObject, IExecuteFunctions, INode, NodeApiError } from 'n8n-workflow';
import { z } from 'zod';

import type { PollSchedule } from '../../pipeline/batchJob';
import { pollDelayMs } from '../../pipeline/batchJob';
import { crustdataApiRequest } from '../../transport';
import type { TransportSettings } from '../../transport';
import {
	BATCH_PATH,
	BATCH_SUBMIT_PATH,
	MAX_ACTIVE_JOBS,
	MAX_RESENDS,
} from '../../transport/limits';
import { isRateLimited, mayHaveBeenProcessed, refusesAccount } from '../../transport/retryPolicy';
import type { TransportFailure } from '../../transport/retryPolicy';
import { waitMs } from '../../transport/wait';
import { buildApiError, isApiNotFound, toNodeApiError } from '../../transport/errors';
import type { BatchField, BatchSubmitBody } from '../../types';
import { fetchJobOutcome, jobFailure, timedOutFailure } from './jobOutcome';
import type { JobOutcome } from './jobOutcome';
import type { ItemFailure } from '../../pipeline/assembleItems';

// Batch jobs: one submitter sends chunks as jobs, one follower polls jobs to their end, and
// `runJobs` drives both within one deadline, the user's wait limit. Crustdata allows 5 active
// (pending or processing) jobs per account: this run never holds more itself, and when a submit
// still gets 429 (other workflows share the account) it waits for a job to finish and tries again.

type Answer =
	| { ok: true; body: unknown; retries: number }
	| { ok: false; failure: TransportFailure; retries: number };

async function batchRequest(
	context: IExecuteFunctions,
	transport: TransportSettings,
	method: 'GET' | 'POST',
	path: string,
	body?: BatchSubmitBody,
): Promise<Answer> {
	const submit = method === 'POST';
	const result = await crustdataApiRequest.call(
		context,
		{
			method,
			path,
			body: body as unknown as IDataObject,
			// A submit's 429 means the account's job slots are full: the caller waits for a job.
			retryRateLimited: !submit,
			// A submit that timed out may have created a job: the submitter looks for it instead of
			// submitting blind. A GET is free and changes nothing: sending it again is safe.
			resendTimedOut: !submit,
		},
		transport,
	);
	return result.ok
		? { ok: true, body: result.response.body, retries: result.retries }
		: { ok: false, failure: result.failure, retries: result.retries };
}

/** A chunk that got no job: Crustdata refused it, or a timed-out submit left it unknown. */
export type SubmitRejection =
	| { urls: string[]; failure: TransportFailure; retries: number }
	| { urls: string[]; unknown: ItemFailure };

/** A rejected submit as an error of the first item it held. */
export function rejectionError(
	node: INode,
	rejection: SubmitRejection,
	itemIndex: number,
	transport: TransportSettings,
): NodeApiError {
	if ('unknown' in rejection) return buildApiError(node, { ...rejection.unknown, itemIndex });
	return toNodeApiError(node, rejection.failure, {
		itemIndex,
		retries: rejection.retries,
		secret: transport.secret,
		address: { baseUrl: transport.baseUrl, path: BATCH_SUBMIT_PATH },
	});
}

export interface SubmitSettings {
	fields: BatchField[];
	verified: boolean;
	/** Stop at the first submit Crustdata rejects (no Continue On Fail). */
	stopOnRejection: boolean;
	/** Epoch ms after which nothing is submitted (the wait limit). */
	deadline: number;
	now: () => number;
}

export class JobSubmitter {
	/** Chunk URLs per batch id, in submission order. */
	readonly submitted = new Map<string, string[]>();

	readonly rejected: SubmitRejection[] = [];

	private readonly queue: string[][];

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly transport: TransportSettings,
		private readonly settings: SubmitSettings,
		chunks: string[][],
	) {
		this.queue = [...chunks];
	}

	get waiting(): number {
		return this.queue.length;
	}

	/** Adds a chunk to submit (the Auto channel hands chunks over one by one). */
	enqueue(urls: string[]): void {
		this.queue.push(urls);
	}

	/** Chunks never submitted, handed over once: the wait limit ran out or the run stopped. */
	takeUnsent(): string[][] {
		return this.queue.splice(0);
	}

	/**
	 * Submits queued chunks into at most `freeSlots` new jobs; returns their batch ids, and whether
	 * the run must stop (a rejected submit without Continue On Fail).
	 */
	async submit(freeSlots: number): Promise<{ batchIds: string[]; stop: boolean }> {
		const batchIds: string[] = [];
		while (this.queue.length > 0 && batchIds.length < freeSlots) {
			// A job submitted after the wait limit could not be waited for: the URLs stay unsent.
			if (this.settings.now() >= this.settings.deadline) break;
			const urls = this.queue[0];
			const answer = await this.submitOnce(urls);
			if (answer.kind === 'full') break; // the account's slots are full: wait for a job
			this.queue.shift();
			if (answer.kind === 'submitted') {
				this.submitted.set(answer.batchId, urls);
				batchIds.push(answer.batchId);
				continue;
			}
			if (answer.kind === 'unknown') {
				this.rejected.push({ urls, unknown: answer.failure });
				continue;
			}
			this.rejected.push({ urls, failure: answer.failure, retries: answer.retries });
			if (this.settings.stopOnRejection) return { batchIds, stop: true };
			// A refused account answers the same for every chunk: no point sending the rest.
			if (refusesAccount(answer.failure)) {
				for (const rest of this.queue.splice(0))
					this.rejected.push({ urls: rest, failure: answer.failure, retries: 0 });
			}
		}
		return { batchIds, stop: false };
	}

	/**
	 * One chunk as one job. A submit that timed out or dropped may still have created the job (and
	 * its credits): it is never submitted again blind. The account's job list says whether the job
	 * exists; it is adopted when exactly one fits, submitted again only when none does.
	 */
	private async submitOnce(urls: string[]): Promise<SubmitAnswer> {
		const body: BatchSubmitBody = {
			professional_network_profile_urls: urls,
			fields: this.settings.fields,
		};
		if (this.settings.verified) body.verified = true;
		for (let attempt = 0; ; attempt++) {
			const sentAt = this.settings.now();
			const answer = await batchRequest(
				this.context,
				this.transport,
				'POST',
				BATCH_SUBMIT_PATH,
				body,
			);
			if (answer.ok) {
				const batchId = batchIdOf(answer.body);
				if (batchId !== undefined) return { kind: 'submitted', batchId };
				const failure: TransportFailure = {
					kind: 'malformed',
					status: 200,
					headers: {},
					detail: 'the answer holds no batch_id',
				};
				return { kind: 'rejected', failure, retries: answer.retries };
			}
			if (isRateLimited(answer.failure)) return { kind: 'full' };
			if (!mayHaveBeenProcessed(answer.failure))
				return { kind: 'rejected', failure: answer.failure, retries: answer.retries };
			const found = await findSubmittedJob(this.context, this.transport, {
				identifierCount: urls.length,
				from: sentAt - JOB_CLOCK_SKEW_MS,
				to: this.settings.now() + JOB_CLOCK_SKEW_MS,
				known: new Set(this.submitted.keys()),
			});
			if (found.kind === 'one') return { kind: 'submitted', batchId: found.batchId };
			if (found.kind === 'none' && attempt < MAX_RESENDS) continue;
			return { kind: 'unknown', failure: unknownJobFailure(found) };
		}
	}
}

type SubmitAnswer =
	| { kind: 'submitted'; batchId: string }
	| { kind: 'full' }
	| { kind: 'rejected'; failure: TransportFailure; retries: number }
	| { kind: 'unknown'; failure: ItemFailure };

/** How far the API's clock and ours may differ when a job's creation time is matched. */
const JOB_CLOCK_SKEW_MS = 120_000;
/** Pages of `GET /batch` read to find a job (newest first: the job is on the first page). */
const MAX_JOB_LIST_PAGES = 3;

type FoundJob =
	| { kind: 'one'; batchId: string }
	| { kind: 'none' }
	| { kind: 'unknown'; candidates: string[]; why: string };

const jobListSchema = z
	.object({
		jobs: z.array(
			z
				.object({
					batch_id: z.union([z.string(), z.number()]),
					identifier_count: z.number().nullable().optional(),
					created_at: z.string().nullable().optional(),
				})
				.passthrough(),
		),
		next_cursor: z.string().nullable().optional(),
		has_more: z.boolean().nullable().optional(),
	})
	.passthrough();

/** Looks in the account's job list for the job a timed-out submit may have created. */
async function findSubmittedJob(
	context: IExecuteFunctions,
	transport: TransportSettings,
	wanted: { identifierCount: number; from: number; to: number; known: Set<string> },
): Promise<FoundJob> {
	const candidates: string[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_JOB_LIST_PAGES; page++) {
		const query = `?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
		const answer = await batchRequest(context, transport, 'GET', `${BATCH_PATH}${query}`);
		const list = answer.ok ? jobListSchema.safeParse(answer.body) : undefined;
		if (list === undefined || !list.success) {
			return { kind: 'unknown', candidates, why: 'the list of batch jobs could not be read' };
		}
		let older = false;
		for (const job of list.data.jobs) {
			const created = Date.parse(job.created_at ?? '');
			if (Number.isNaN(created) || created < wanted.from) older = older || !Number.isNaN(created);
			const batchId = String(job.batch_id);
			const fits =
				job.identifier_count === wanted.identifierCount &&
				!Number.isNaN(created) &&
				created >= wanted.from &&
				created <= wanted.to &&
				!wanted.known.has(batchId);
			if (fits) candidates.push(batchId);
		}
		cursor = list.data.next_cursor ?? undefined;
		if (older || list.data.has_more !== true || cursor === undefined) break;
	}
	if (candidates.length === 1) return { kind: 'one', batchId: candidates[0] };
	if (candidates.length === 0) return { kind: 'none' };
	return { kind: 'unknown', candidates, why: 'several jobs of that size were created then' };
}

function unknownJobFailure(found: FoundJob): ItemFailure {
	const why = found.kind === 'unknown' ? found.why : 'each submit timed out';
	const candidates = found.kind === 'unknown' ? found.candidates : [];
	const named =
		candidates.length > 0
			? `It may be one of these batch jobs: ${candidates.join(', ')}. Fetch them with the "Get Bulk Results" operation before you run these items again.`
			: 'Check the jobs of your Crustdata account before you run these items again.';
	return {
		message: `The batch submit for these profile URLs got no answer, and whether it created a job cannot be told (${why}); they were not submitted again, to avoid paying twice`,
		description: named,
	};
}

export interface FollowSettings {
	/** The wait limit as the user set it, for error messages. */
	waitMinutes?: number;
	poll: PollSchedule;
	/** Ask for the jobs' status once before the first delay (jobs submitted earlier may be done). */
	pollAtOnce?: boolean;
}

/** Polls a job this run just submitted may answer 404 (not listed yet) before it counts. */
const FRESH_JOB_NOT_FOUND_POLLS = 3;

export class JobFollower {
	readonly outcomes = new Map<string, JobOutcome>();

	private readonly active: string[] = [];

	/** Jobs this run submitted, with the 404s their polls got so far. */
	private readonly fresh = new Map<string, number>();

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly transport: TransportSettings,
		readonly settings: FollowSettings,
		batchIds: string[] = [],
	) {
		this.active.push(...batchIds);
	}

	get activeCount(): number {
		return this.active.length;
	}

	/** Follows jobs this run just submitted. */
	follow(batchIds: string[]): void {
		this.active.push(...batchIds);
		for (const batchId of batchIds) this.fresh.set(batchId, 0);
	}

	/** Asks once for the status of every active job; a job that ended gets its outcome. */
	async pollActiveJobs(): Promise<void> {
		// At once: each check waits for its answer (and a finished job's download).
		const polled = await Promise.all(
			this.active.map(async (batchId) => ({ batchId, outcome: await this.poll(batchId) })),
		);
		for (const { batchId, outcome } of polled) {
			if (outcome.kind === 'running') continue;
			this.outcomes.set(batchId, outcome);
			this.active.splice(this.active.indexOf(batchId), 1);
		}
	}

	private async poll(batchId: string): Promise<JobOutcome> {
		const path = `${BATCH_PATH}/${encodeURIComponent(batchId)}`;
		const answer = await batchRequest(this.context, this.transport, 'GET', path);
		if (answer.ok) {
			return await fetchJobOutcome(this.context, batchId, answer.body, this.transport.timeoutMs);
		}
		const notFoundPolls = this.fresh.get(batchId);
		if (notFoundPolls !== undefined && isApiNotFound(answer.failure)) {
			// A job just created may not be visible yet: only repeated 404s mean it is gone.
			this.fresh.set(batchId, notFoundPolls + 1);
			if (notFoundPolls + 1 < FRESH_JOB_NOT_FOUND_POLLS) return { kind: 'running' };
		}
		const failure = jobFailure(this.context.getNode(), batchId, answer.failure, {
			retries: answer.retries,
			secret: this.transport.secret,
			address: { baseUrl: this.transport.baseUrl, path },
		});
		return {
			kind: 'failed',
			failure,
			request: { failure: answer.failure, retries: answer.retries },
		};
	}

	/** The wait limit ran out: every job still active is reported as such (it keeps running). */
	giveUp(): void {
		for (const batchId of this.active.splice(0)) {
			this.outcomes.set(batchId, {
				kind: 'failed',
				failure: timedOutFailure(batchId, this.settings.waitMinutes),
			});
		}
	}
}

export interface JobRunOptions {
	/** Epoch ms after which no job is waited for. */
	deadline: number;
	/** Return as soon as every chunk is submitted, without waiting for results. */
	waitForCompletion: boolean;
	now: () => number;
}

/** Submits (when there is a submitter) and follows jobs until all ended or the deadline passed. */
export async function runJobs(
	context: IExecuteFunctions,
	follower: JobFollower,
	submitter: JobSubmitter | undefined,
	{ deadline, waitForCompletion, now }: JobRunOptions,
): Promise<void> {
	const signal = context.getExecutionCancelSignal();
	// Checks back off from each new job's submit: a job's age says when it may be done.
	for (let round = 0; ; round++) {
		if (submitter !== undefined) {
			const { batchIds, stop } = await submitter.submit(MAX_ACTIVE_JOBS - follower.activeCount);
			follower.follow(batchIds);
			if (batchIds.length > 0) round = 0;
			if (stop || (submitter.waiting === 0 && !waitForCompletion)) return;
		}
		if ((submitter?.waiting ?? 0) === 0 && follower.activeCount === 0) return;
		const remaining = deadline - now();
		if (remaining <= 0) {
			follower.giveUp();
			return;
		}
		const backoffRound = follower.settings.pollAtOnce ? round - 1 : round;
		if (backoffRound >= 0)
			await waitMs(pollDelayMs(backoffRound, follower.settings.poll, remaining), signal);
		await follower.pollActiveJobs();
	}
}

function batchIdOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { batch_id: batchId } = body as { batch_id?: unknown };
	if (typeof batchId === 'number') return String(batchId);
	return typeof batchId === 'string' && batchId.trim() !== '' ? batchId.trim() : undefined;
}
