import { sleep } from 'n8n-workflow';

import type { RateLimiter } from '../../transport/rateLimiter';

export interface ChunkPoolOptions<R> {
	limiter: RateLimiter;
	signal?: AbortSignal;
	/** Sends one chunk. It must take its limiter turn before its first `await` (as `crustdataApiRequest` does). */
	send: (identifiers: string[]) => Promise<R>;
	/** Called once per chunk as it ends, in completion order; true = launch nothing more. */
	onResult: (identifiers: string[], result: R) => boolean;
}

/**
 * Sends chunks concurrently, as fast as the limiter allows and no faster: the next chunk starts
 * as soon as the limiter says 0, otherwise the pool waits for the computed delay or for a chunk
 * in flight to end, whichever comes first. After `onResult` asks to stop (or a chunk throws),
 * nothing more starts; the chunks in flight still end (and are reported) before this returns
 * or throws.
 */
export async function sendChunks<R>(
	chunks: string[][],
	{ limiter, signal, send, onResult }: ChunkPoolOptions<R>,
): Promise<void> {
	const running = new Set<Promise<void>>();
	let stop = false;
	let thrown: { error: unknown } | undefined;
	for (let next = 0; next < chunks.length && !stop; ) {
		const wait = limiter.delayMs();
		if (wait === 0) {
			const identifiers = chunks[next++];
			const task: Promise<void> = send(identifiers)
				.then(
					(result) => {
						if (onResult(identifiers, result)) stop = true;
					},
					(error: unknown) => {
						thrown ??= { error };
						stop = true;
					},
				)
				.finally(() => running.delete(task));
			running.add(task);
			continue;
		}
		await waitForChunkOrDelay(wait, running, limiter, signal);
	}
	await Promise.all(running);
	if (thrown) throw thrown.error;
}

async function waitForChunkOrDelay(
	wait: number,
	running: Set<Promise<void>>,
	limiter: RateLimiter,
	signal: AbortSignal | undefined,
): Promise<void> {
	if (running.size === 0) {
		// Nothing of ours is in flight, so no answer can come sooner than the delay.
		await (wait === Infinity ? limiter.whenSettled() : sleep(wait, signal));
		return;
	}
	if (wait === Infinity) {
		await Promise.race(running);
		return;
	}
	// The timer of a delay that loses the race is cancelled with its own signal; a cancelled
	// execution still ends the wait with n8n's error.
	const done = new AbortController();
	const timer = sleep(wait, eitherSignal(signal, done.signal)).then(
		() => undefined,
		(error: unknown) => (done.signal.aborted ? undefined : { error }),
	);
	await Promise.race([timer, ...running]);
	done.abort();
	const cancelled = await timer;
	if (cancelled) throw cancelled.error;
}

// AbortSignal.any came with Node 20.3; on an older Node a cancelled execution still stops at the
// next request, just not in the middle of this wait.
function eitherSignal(execution: AbortSignal | undefined, own: AbortSignal): AbortSignal {
	if (execution === undefined || typeof AbortSignal.any !== 'function') return own;
	return AbortSignal.any([execution, own]);
}
