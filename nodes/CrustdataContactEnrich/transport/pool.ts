import type { RateLimiter, RequestTicket } from './rateLimiter';
import { eitherSignal } from './wait';

export interface PoolOptions<T, R> {
	limiter: RateLimiter;
	signal?: AbortSignal;
	/** Sends one task's request with the ticket the pool took for it. */
	send: (task: T, ticket: RequestTicket) => Promise<R>;
	/** Called once per task as it ends, in completion order; true = launch nothing more. */
	onResult: (task: T, result: R) => boolean;
}

/**
 * Sends tasks concurrently, as fast as the limiter allows and no faster: the pool takes each
 * task's turn from the limiter before it launches the task, so the pace holds however `send`
 * awaits. After `onResult` asks to stop (or a task throws, or the execution is cancelled), nothing
 * more starts; the tasks in flight still end (and are reported) before this returns or throws.
 */
export async function sendInTurn<T, R>(
	tasks: readonly T[],
	{ limiter, signal, send, onResult }: PoolOptions<T, R>,
): Promise<void> {
	const stopped = new AbortController();
	const running = new Set<Promise<void>>();
	let thrown: { error: unknown } | undefined;
	const turnSignal = eitherSignal(signal, stopped.signal);
	for (const task of tasks) {
		if (stopped.signal.aborted) break;
		// While only an answer can free the budget, wait for a task to end, its result read: a
		// result that stops the run must be seen before anything more is sent.
		const ticket = await limiter
			.acquire(turnSignal, async () => await taskEnded(running, limiter, turnSignal))
			.catch(() => undefined);
		// Stopped by a result, or the execution was cancelled, while waiting for a turn.
		if (ticket === undefined) break;
		const run: Promise<void> = send(task, ticket)
			.then(
				(result) => {
					if (onResult(task, result)) stopped.abort();
				},
				(error: unknown) => {
					thrown ??= { error };
					stopped.abort();
				},
			)
			.finally(() => running.delete(run));
		running.add(run);
	}
	await Promise.all(running);
	if (thrown) throw thrown.error;
}

async function taskEnded(
	running: Set<Promise<void>>,
	limiter: RateLimiter,
	signal: AbortSignal,
): Promise<void> {
	if (running.size === 0) return await limiter.whenSettled(signal);
	if (signal.aborted) return;
	let onAbort = () => {};
	const aborted = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	await Promise.race([aborted, ...running]);
	signal.removeEventListener('abort', onAbort);
}
