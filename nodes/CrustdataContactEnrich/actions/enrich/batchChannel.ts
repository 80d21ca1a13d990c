import type { IExecuteFunctions } from 'n8n-workflow';

import { recordToEntry } from '../../pipeline/batchRecords';
import type { TransportSettings } from '../../transport';
import type { CreditBudget } from '../../transport/budget';
import {
	MAX_ACTIVE_JOBS,
	MAX_IDENTIFIERS_PER_REQUEST,
	MAX_URLS_PER_JOB,
} from '../../transport/limits';
import type { RateLimiter } from '../../transport/rateLimiter';
import { waitMs } from '../../transport/wait';
import type { BatchField } from '../../types';
import type { JobOutcome } from '../batch/jobOutcome';
import { JobFollower, JobSubmitter } from '../batch/jobs';
import type { RunStats } from '../runStats';
import type { IdentifierFeed } from './identifierFeed';

// The Auto channel: batch jobs beside the instant requests. Both take from one feed (instant from
// the front, jobs from the back), so no identifier goes to both. A job is worth submitting while
// the instant requests alone would still be busy when it ends: with R identifiers left, instant
// requests at `rate` and a job taking T, a job takes R − rate × T of them (at most 300), so that
// both channels end about together. Both measures come from the run: the instant pace from the
// rate-limit headers (requests per window, and the window measured from a "0 left" answer), a
// job's time from the jobs seen so far (before any, the documented 2–3 minutes: 2.5 windows).

/** A job of fewer identifiers than one request is not worth its wait. */
export const MIN_JOB_URLS = MAX_IDENTIFIERS_PER_REQUEST;
/** A job's time before one has been seen, in rate-limit windows: "typically 2 to 3 minutes". */
export const JOB_TIME_PRIOR_WINDOWS = 2.5;

export interface BatchChannelSettings {
	fields: BatchField[];
	verified: boolean;
	/** No job is submitted after this (the run's deadline, if any). */
	submitUntil: number;
	/** No job is waited for after this ("Max Wait", or the run's deadline). */
	waitUntil: number;
	waitMinutes?: number;
	pollMs: number;
	creditsPerIdentifier: number;
	stopOnRejection: boolean;
}

export class BatchChannel {
	readonly submitter: JobSubmitter;

	readonly follower: JobFollower;

	private readonly submittedAt = new Map<string, number>();

	private readonly costOf = new Map<string, number>();

	private readonly durations: number[] = [];

	private stopped = false;

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly transport: TransportSettings & { budget: CreditBudget },
		private readonly feed: IdentifierFeed,
		private readonly limiter: RateLimiter,
		private readonly settings: BatchChannelSettings,
		private readonly stats: RunStats,
	) {
		const { fields, verified, stopOnRejection, submitUntil } = settings;
		this.submitter = new JobSubmitter(
			context,
			transport,
			{ fields, verified, stopOnRejection, deadline: submitUntil, now: Date.now },
			[],
		);
		const follow = {
			waitMinutes: settings.waitMinutes,
			poll: { firstDelayMs: settings.pollMs, maxDelayMs: settings.pollMs },
		};
		this.follower = new JobFollower(context, transport, follow);
	}

	/** Submits no more jobs (the instant requests are done, or stopped the run). */
	stop(): void {
		this.stopped = true;
	}

	/** The time a job is expected to take, in ms. */
	jobTimeMs(): number {
		if (this.durations.length > 0) {
			return this.durations.reduce((sum, ms) => sum + ms, 0) / this.durations.length;
		}
		return JOB_TIME_PRIOR_WINDOWS * this.limiter.pace().windowMs;
	}

	/** How many of the identifiers left a job should take now (0: none is worth it). */
	jobSize(now: number): number {
		const { requestsPerWindow, windowMs } = this.limiter.pace();
		const instantPerMs = (requestsPerWindow * MAX_IDENTIFIERS_PER_REQUEST) / windowMs;
		const jobMs = this.jobTimeMs();
		// A job that could not end before the wait limit would only be fetched later.
		if (now + jobMs > this.settings.waitUntil) return 0;
		const share = Math.floor(this.feed.remaining - instantPerMs * jobMs);
		const affordable = this.transport.budget.affordable(this.settings.creditsPerIdentifier);
		const size = Math.min(MAX_URLS_PER_JOB, share, affordable);
		return size >= MIN_JOB_URLS ? size : 0;
	}

	/**
	 * Submits jobs while they are worth it, and follows them until they all ended; true when a
	 * rejected submit must stop the run (no Continue On Fail).
	 */
	async run(): Promise<boolean> {
		const signal = this.context.getExecutionCancelSignal();
		for (;;) {
			if (await this.fillSlots()) return true;
			// Done once nothing is left to follow and nothing more will be submitted. While the
			// instant requests go on, a job may become worth it (their pace is learned as they go).
			if (this.follower.activeCount === 0 && (this.stopped || this.feed.remaining === 0))
				return false;
			if (Date.now() >= this.settings.waitUntil) {
				this.follower.giveUp();
				this.settleEnded();
				return false;
			}
			await waitMs(Math.min(this.settings.pollMs, this.settings.waitUntil - Date.now()), signal);
			if (this.follower.activeCount === 0) continue;
			await this.follower.pollActiveJobs();
			this.settleEnded();
		}
	}

	/** Fills free job slots; true when a rejected submit must stop the run. */
	private async fillSlots(): Promise<boolean> {
		while (!this.stopped && this.follower.activeCount < MAX_ACTIVE_JOBS) {
			const now = Date.now();
			if (now >= this.settings.submitUntil) return false;
			const size = this.jobSize(now);
			if (size === 0) return false;
			const urls = await this.feed.take(size, 'back');
			if (urls.length === 0) return false;
			const cost = urls.length * this.settings.creditsPerIdentifier;
			this.transport.budget.reserve(cost);
			this.submitter.enqueue(urls);
			const { batchIds, stop } = await this.submitter.submit(1);
			for (const unsent of this.submitter.takeUnsent()) {
				// The account's job slots are full (other workflows): these go instant instead.
				this.transport.budget.release(cost);
				this.feed.giveBack(unsent);
				return false;
			}
			if (batchIds.length === 0) {
				// Rejected: its identifiers fail with the submit's error (see sendAll).
				this.transport.budget.release(cost);
				return stop;
			}
			this.stats.markSent(urls);
			this.stats.jobs++;
			this.stats.jobIdentifiers += urls.length;
			this.follower.follow(batchIds);
			this.submittedAt.set(batchIds[0], Date.now());
			this.costOf.set(batchIds[0], cost);
		}
		return false;
	}

	/** Jobs that ended: their time is measured, and their reservation settled. */
	private settleEnded(): void {
		for (const [batchId, outcome] of this.follower.outcomes) {
			const cost = this.costOf.get(batchId);
			if (cost === undefined) continue;
			this.costOf.delete(batchId);
			const started = this.submittedAt.get(batchId) ?? Date.now();
			if (outcome.kind === 'completed') this.durations.push(Date.now() - started);
			this.transport.budget.settle(
				cost,
				chargedForJob(outcome, cost, this.settings.creditsPerIdentifier),
			);
		}
	}
}

/**
 * Batch jobs report no credits. A completed job is reckoned at its worst case for every record
 * that names a person (nobody found costs nothing); any other end at its whole reservation.
 */
function chargedForJob(outcome: JobOutcome, reserved: number, each: number): number {
	if (outcome.kind !== 'completed') return reserved;
	const found = outcome.records.filter((record) => recordToEntry('', record).matches.length > 0);
	return Math.min(reserved, found.length * each);
}
