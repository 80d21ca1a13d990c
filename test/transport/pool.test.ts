import { RateLimiter } from '../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import type { RequestTicket } from '../../nodes/CrustdataContactEnrich/transport/rateLimiter';
import { fromList, sendInTurn } from '../../nodes/CrustdataContactEnrich/transport/pool';
import { realSleep, virtualClock } from '../helpers/sleep';

const budget = (remaining: number) => ({
	'x-ratelimit-remaining': String(remaining),
	'x-ratelimit-reset': '30',
});

// A send that answers with plenty of budget, after `before` (what a sender may await before its
// request really goes out). It records when each task's turn was counted and when it went out.
function recordingSend(
	limiter: RateLimiter,
	clock: { elapsed: () => number },
	before: () => Promise<void>,
) {
	const log: Array<{ task: number; wentOutAt: number }> = [];
	const send = async (task: number, ticket: RequestTicket) => {
		await before();
		log.push({ task, wentOutAt: clock.elapsed() });
		limiter.settle(ticket, budget(100));
		return task;
	};
	return { log, send };
}

describe('sendInTurn', () => {
	it.each<[string, () => Promise<void>]>([
		['sends at once', async () => undefined],
		['awaits a resolved promise first', async () => await Promise.resolve()],
		[
			'awaits several times first',
			async () => {
				for (let i = 0; i < 5; i++) await Promise.resolve();
			},
		],
		['awaits a real timer first', async () => await realSleep(5)],
	])('keeps the pace of the limiter when the send %s', async (_label, before) => {
		const clock = virtualClock();
		const limiter = new RateLimiter({ requestsPerMinute: 2, now: Date.now });
		const { log, send } = recordingSend(limiter, clock, before);
		const turnsAt: number[] = [];
		await sendInTurn<number, number>({
			next: fromList([0, 1, 2, 3, 4]),
			limiter,
			send: async (task, ticket) => {
				turnsAt.push(clock.elapsed());
				return await send(task, ticket);
			},
			onResult: () => false,
		});
		// 2 per 60 s: the turns are counted at 0, 0, 60 s, 60 s, 120 s whatever the send awaits.
		expect(turnsAt).toEqual([0, 0, 60_000, 60_000, 120_000]);
		expect(log.map(({ task }) => task).sort()).toEqual([0, 1, 2, 3, 4]);
	});

	it('launches nothing after a result asks to stop, and lets the tasks in flight end', async () => {
		const limiter = new RateLimiter({ requestsPerMinute: 100, now: Date.now });
		const ended: number[] = [];
		await sendInTurn<number, number>({
			next: fromList([0, 1, 2, 3]),
			limiter,
			send: async (task, ticket) => {
				await realSleep(task === 0 ? 5 : 1);
				// The first task goes alone (the budget is unknown); its result stops the run.
				limiter.settle(ticket, budget(task === 0 ? 1 : 0));
				ended.push(task);
				return task;
			},
			onResult: (task) => task === 0,
		});
		expect(ended).toEqual([0]);
	});
});
