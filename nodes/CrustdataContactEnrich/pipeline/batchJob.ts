import { z } from 'zod';

// What a `GET /batch/{id}` answer means for the node, and how long to wait before asking again.

export type JobState =
	| { state: 'running'; status: 'pending' | 'processing' }
	| { state: 'completed'; downloadUrls: string[]; resultCount: number | null }
	| { state: 'failed'; errorMessage: string }
	| { state: 'malformed'; detail: string };

const jobSchema = z
	.object({
		status: z.string(),
		result_count: z.number().nullable().optional(),
		download_url: z.string().nullable().optional(),
		download_urls: z.array(z.string()).nullable().optional(),
		error_message: z.string().nullable().optional(),
	})
	.passthrough();

export const UNKNOWN_FAILURE =
	'Crustdata reported the batch job as failed without saying why. Submit these profile URLs again.';

export function interpretJob(body: unknown): JobState {
	const parsed = jobSchema.safeParse(body);
	if (!parsed.success) return { state: 'malformed', detail: 'the body is not a batch job' };
	const job = parsed.data;
	if (job.status === 'pending' || job.status === 'processing') {
		return { state: 'running', status: job.status };
	}
	if (job.status === 'failed') {
		const message = job.error_message?.trim();
		return { state: 'failed', errorMessage: message ? message : UNKNOWN_FAILURE };
	}
	if (job.status === 'completed') {
		// `download_urls` lists every part of a large result; `download_url` is the first or only one.
		const urls = [...(job.download_urls ?? []), ...(job.download_url ? [job.download_url] : [])];
		return {
			state: 'completed',
			downloadUrls: [...new Set(urls.filter((url) => url.trim() !== ''))],
			resultCount: job.result_count ?? null,
		};
	}
	return { state: 'malformed', detail: `the job status "${job.status}" is not a documented one` };
}

/** When to poll batch jobs: the first delay, growing by `factor` up to `maxDelayMs`. */
export interface PollSchedule {
	firstDelayMs: number;
	maxDelayMs: number;
	/** @default 1.5 */
	factor?: number;
}

/**
 * Delay before poll round `round` (0-based): jobs take minutes, so early polls are frequent and
 * later ones back off. Never past the deadline, so a timed-out job is reported on time.
 */
export function pollDelayMs(
	round: number,
	schedule: PollSchedule,
	msUntilDeadline = Number.POSITIVE_INFINITY,
): number {
	const factor = schedule.factor ?? 1.5;
	const cap = Math.max(schedule.firstDelayMs, schedule.maxDelayMs);
	const delay = Math.min(cap, schedule.firstDelayMs * factor ** Math.max(0, round));
	return Math.max(0, Math.round(Math.min(delay, msUntilDeadline)));
}
