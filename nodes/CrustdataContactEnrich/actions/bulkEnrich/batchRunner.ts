import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { FailedRequest } from '../../pipeline/assembleItems';
import type { PollSchedule } from '../../pipeline/batchJob';
import { pollDelayMs } from '../../pipeline/batchJob';
import { crustdataApiRequest } from '../../transport';
import type { TransportSettings } from '../../transport';
import { isRateLimited, refusesAccount } from '../../transport/retryPolicy';
import type { RequestFailure } from '../../transport/retryPolicy';
import type { BatchField, BatchSubmitBody } from '../../types';
import { creditsUsed } from '../enrich/runStats';
import type { RunStats } from '../enrich/runStats';
import { fetchJobOutcome, jobFailure, timedOutFailure } from './jobOutcome';
import type { JobOutcome } from './jobOutcome';

// Submits chunks as batch jobs and follows every job to its end. Crustdata allows 5 active
// (pending or processing) jobs per account: the runner never holds more itself, and when a
// submit still gets 429 (other workflows share the account) it waits for a job to finish and
// tries again. Everything happens within one deadline, the user's wait limit.

/** Active (pending or processing) jobs Crustdata allows per account. */
export const MAX_ACTIVE_JOBS = 5;

export interface BatchRunSettings {
	fields: BatchField[];
	verified: boolean;
	/** Epoch ms after which no job is waited for. */
	deadline: number;
	/** The wait limit as the user set it, for error messages. */
	waitMinutes?: number;
	poll: PollSchedule;
	/** Ask for the jobs' status once before the first delay (jobs submitted earlier may be done). */
	pollAtOnce?: boolean;
	/** Return as soon as every chunk is submitted, without waiting for results. */
	waitForCompletion: boolean;
	/** Stop at the first submit Crustdata rejects (no Continue On Fail). */
	stopOnRejection: boolean;
	now: () => number;
}

export interface SubmitRejection {
	urls: string[];
	failure: RequestFailure;
	retries: number;
}

export interface BatchRunResult {
	/** Chunk URLs per batch id, in submission order; unknown (empty) for jobs given by id. */
	submitted: Map<string, string[]>;
	outcomes: Map<string, JobOutcome>;
	rejected: SubmitRejection[];
	/** Chunks never submitted: the wait limit ran out or an earlier submit stopped the run. */
	unsent: string[][];
}

export class BatchRunner {
	private readonly queue: string[][];

	private readonly active: string[] = [];

	private readonly result: BatchRunResult;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly transport: TransportSettings & { secret: string },
		private readonly settings: BatchRunSettings,
		private readonly stats: RunStats,
		chunks: string[][],
		existingJobIds: string[] = [],
	) {
		this.queue = [...chunks];
		this.result = { submitted: new Map(), outcomes: new Map(), rejected: [], unsent: [] };
		for (const batchId of existingJobIds) {
			this.result.submitted.set(batchId, []);
			this.active.push(batchId);
		}
	}

	async run(): Promise<BatchRunResult> {
		const signal = this.context.getExecutionCancelSignal();
		for (let round = 0; ; round++) {
			const stop = await this.submitWhileSlotsFree();
			if (stop || (this.queue.length === 0 && !this.settings.waitForCompletion)) break;
			if (this.queue.length === 0 && this.active.length === 0) break;
			const remaining = this.settings.deadline - this.settings.now();
			if (remaining <= 0) {
				for (const batchId of this.active) {
					this.result.outcomes.set(batchId, {
						kind: 'failed',
						failure: timedOutFailure(batchId, this.settings.waitMinutes),
					});
				}
				this.active.length = 0;
				break;
			}
			const backoffRound = this.settings.pollAtOnce ? round - 1 : round;
			if (backoffRound >= 0) {
				await sleep(pollDelayMs(backoffRound, this.settings.poll, remaining), signal);
			}
			await this.pollActiveJobs();
		}
		this.result.unsent.push(...this.queue.splice(0));
		return this.result;
	}

	/** Submits queued chunks while this run holds fewer than 5 jobs; true when the run must stop. */
	private async submitWhileSlotsFree(): Promise<boolean> {
		while (this.queue.length > 0 && this.active.length < MAX_ACTIVE_JOBS) {
			const urls = this.queue[0];
			const body: BatchSubmitBody = {
				professional_network_profile_urls: urls,
				fields: this.settings.fields,
			};
			if (this.settings.verified) body.verified = true;
			const answer = await this.request('POST', '/batch/person/contact/enrich', body);
			if (!answer.ok && isRateLimited(answer.failure)) return false; // the account is full: wait
			this.queue.shift();
			const batchId = answer.ok ? batchIdOf(answer.body) : undefined;
			if (batchId !== undefined) {
				this.result.submitted.set(batchId, urls);
				this.active.push(batchId);
				continue;
			}
			const failure: RequestFailure = answer.ok
				? { kind: 'malformed', status: 200, headers: {}, detail: 'the answer holds no batch_id' }
				: answer.failure;
			this.result.rejected.push({ urls, failure, retries: answer.retries });
			if (this.settings.stopOnRejection) return true;
			// A refused account answers the same for every chunk: no point sending the rest.
			if (refusesAccount(failure)) {
				for (const rest of this.queue.splice(0)) {
					this.result.rejected.push({ urls: rest, failure, retries: 0 });
				}
			}
		}
		return false;
	}

	private async pollActiveJobs(): Promise<void> {
		for (const batchId of [...this.active]) {
			const answer = await this.request('GET', `/batch/${encodeURIComponent(batchId)}`);
			const outcome = answer.ok
				? await fetchJobOutcome(this.context, batchId, answer.body, this.transport.timeoutMs)
				: ({
						kind: 'failed',
						failure: this.pollFailure(batchId, answer),
						request: { failure: answer.failure, retries: answer.retries },
					} as JobOutcome);
			if (outcome.kind === 'running') continue;
			this.result.outcomes.set(batchId, outcome);
			this.active.splice(this.active.indexOf(batchId), 1);
		}
	}

	private pollFailure(
		batchId: string,
		answer: { failure: RequestFailure; retries: number },
	): FailedRequest {
		return jobFailure(this.context.getNode(), batchId, answer.failure, {
			retries: answer.retries,
			secret: this.transport.secret,
		});
	}

	private async request(
		method: 'GET' | 'POST',
		path: string,
		body?: BatchSubmitBody,
	): Promise<
		| { ok: true; body: unknown; retries: number }
		| { ok: false; failure: RequestFailure; retries: number }
	> {
		const result = await crustdataApiRequest.call(
			this.context,
			{ method, path, body: body as unknown as IDataObject, retryRateLimited: method !== 'POST' },
			this.transport,
		);
		this.stats.requests += 1 + result.retries;
		const headers = result.ok
			? result.response.headers
			: 'headers' in result.failure
				? result.failure.headers
				: {};
		this.stats.credits += creditsUsed(headers);
		return result.ok
			? { ok: true, body: result.response.body, retries: result.retries }
			: { ok: false, failure: result.failure, retries: result.retries };
	}
}

function batchIdOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const { batch_id: batchId } = body as { batch_id?: unknown };
	if (typeof batchId === 'number') return String(batchId);
	return typeof batchId === 'string' && batchId.trim() !== '' ? batchId.trim() : undefined;
}
