import type { RateLimiter, RequestTicket } from './rateLimiter';
import { eitherSignal } from './wait';

/** What to send next: a task; 'wait' = nothing can go until a task in flight ends; 'done'. */
export type NextTask<T> = { task: T } | 'wait' | 'done';

export interface PoolOptions<T, R> {
	limiter: RateLimiter;
	signal?: AbortSignal;
	/** No task gets a turn after this (epoch ms). @default Infinity */
	deadline?: number;
	/** Plans the next task (called just before its turn is asked for, so it sees every answer so far). */
	next: () => NextTask<T> | Promise<NextTask<T>>;
	/** A planned task that got no turn before the deadline: it was never sent. */
	unsent?: (task: T) => void;
	/** Sends one task's request with the turn the pool took for it. */
	send: (task: T, ticket: RequestTicket) => Promise<R>;
	/** Called once per task as it ends, in completion order; true = launch nothing more. */
	onResult: (task: T, result: R) => boolean;
}

/** A task source over a fixed list. */
export function fromList<T>(tasks: readonly T[]): () => NextTask<T> {
	let next = 0;
	return () => (next < tasks.length ? { task: tasks[next++] } : 'done');
}

/**
 * Sends tasks concurrently, as fast as the limiter allows and no faster: the pool takes each
 * task's turn from the limiter before it launches the task, so the pace holds however `send`
 * awaits. After `onResult` asks to stop (or a task throws, or the execution is cancelled, or the
 * deadline passes), nothing more starts; the tasks in flight still end (and are reported) before
 * this returns or throws.
 */
export async function sendInTurn<T, R>(options: PoolOptions<T, R>): Promise<void> {
	const { limiter, signal, deadline = Infinity, next, unsent, send, onResult } = options;
	const stopped = new AbortController();
	const running = new Set<Promise<void>>();
	let thrown: { error: unknown } | undefined;
	const turnSignal = eitherSignal(signal, stopped.signal);
	// While only an answer can free the budget (or the plan), wait for a task to end, its result
	// read: a result that stops the run must be seen before anything more is sent.
	const answerUsed = async () => await taskEnded(running, limiter, turnSignal);
	while (!stopped.signal.aborted) {
		const planned = await next();
		if (planned === 'done' || (planned === 'wait' && running.size === 0)) break;
		if (planned === 'wait') {
			await answerUsed();
			continue;
		}
		const { task } = planned;
		const ticket = await limiter.acquire(turnSignal, answerUsed, deadline).catch(() => undefined);
		if (ticket === undefined) {
			// The deadline came, a result stopped the run, or the execution was cancelled.
			unsent?.(task);
			break;
		}
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
