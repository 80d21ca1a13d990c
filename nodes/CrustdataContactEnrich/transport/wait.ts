import { sleep } from 'n8n-workflow';

// The one way the node waits: n8n's `sleep` (node code may not touch timers), bounded so that no
// computed delay can overflow a timer, and ended early by the execution's cancel signal.

/** Node fires a timer at once when its delay is more than 2^31 − 1 ms (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export async function waitMs(ms: number, signal?: AbortSignal): Promise<void> {
	const bounded = Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
	await sleep(bounded, signal);
}

/**
 * A signal that aborts when either does. AbortSignal.any came with Node 20.3; on an older Node a
 * cancelled execution still stops at the next request, just not in the middle of a wait.
 */
export function eitherSignal(first: AbortSignal | undefined, second: AbortSignal): AbortSignal {
	if (first === undefined || typeof AbortSignal.any !== 'function') return second;
	return AbortSignal.any([first, second]);
}
