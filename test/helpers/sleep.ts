import { sleep } from 'n8n-workflow';

// Control over the node's waits (n8n-workflow's `sleep`, mocked for every test file by
// test/setup/sleep.ts): real by default, instant, or on a virtual clock.

export const sleepMock = jest.mocked(sleep);

export const realSleep = jest.requireActual<typeof import('n8n-workflow')>('n8n-workflow').sleep;

/** Waits end at once; their durations stay in `sleepMock.mock.calls`. */
export function instantSleep(): void {
	sleepMock.mockImplementation(async () => undefined);
}

/** `Date.now` stands still except when the node waits, which moves it by exactly the wait. */
export function virtualClock(): { now: () => number; elapsed: () => number } {
	let now = Date.now();
	const start = now;
	jest.spyOn(Date, 'now').mockImplementation(() => now);
	sleepMock.mockImplementation(async (ms: number) => {
		now += ms;
	});
	return { now: () => now, elapsed: () => now - start };
}

/** The durations the node asked to wait, in order. */
export const waits = (): number[] => sleepMock.mock.calls.map(([ms]) => ms);
