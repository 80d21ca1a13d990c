// n8n's queue mode (scale-out): one n8n main process and two `n8n worker` processes on Redis,
// one simulator account with one compressed rate limit (5 requests per 2 s), and six
// webhook-triggered executions at once (4 requests of 25 identifiers each, with pacing set far
// above the limit), so the executions share the limit through its headers and 429s.
// Then memory across executions ("Skip Identifiers Looked Up Before", n8n's deduplication store
// in the database): run 1 over 100 rows on one worker, that worker stopped, run 2 over the same
// rows plus 20 new on the other worker, which sends only the 20 new.
// Run with `npm run test:queue` (build, n8n host, Redis, then this file), or after a build with
// `node --test test/queue/queueMode.test.mjs`. Not part of `npm test`. Logs: WORK_DIR, under
// the OS temp folder (<tmp>/n8n-nodes-crustdata-contact/queue-mode/), printed at the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitUntil } from '../../scripts/n8n-process.mjs';
import {
	DISTINCT_PER_EXECUTION,
	ENRICH_PATH,
	enrichTraffic,
	EXECUTIONS,
	LIMIT,
	MEMORY_KEY,
	newCluster,
	runExecutions,
	runMemoryExecution,
	setUp,
	stopWorker,
	tearDown,
	WINDOW_MS,
	WORK_DIR,
	workerExecutions,
} from './setup.mjs';

/** An answer's items ([] when it is not a list: the first test says so). */
const items = (output) => (Array.isArray(output) ? output : []);

/** The execution ids an answer's items carry (the Check node's `$execution.id`), per run. */
function executionIdsByRun(answers) {
	return answers.map(({ run, output }) => [run, new Set(items(output).map((o) => o.executionId))]);
}

function summary({ answers, seconds }, traffic, ranBy) {
	const ok = answers.filter((a) => a.status === 200).length;
	const workers = ranBy.map((ids, i) => `worker ${i + 1}: ${ids.length}`).join(', ');
	return (
		`[queue] ${ok} of ${EXECUTIONS} executions answered in ${seconds.toFixed(1)} s (${workers}); ` +
		`${traffic.enrich.length} enrich requests: ${traffic.answered.length} answered 200, ` +
		`${traffic.rejected.length} answered 429`
	);
}

describe('n8n queue mode', { timeout: 900_000 }, () => {
	const cluster = newCluster();

	before(() => setUp(cluster), { timeout: 600_000 });

	after(async () => {
		cluster.log(`[queue] logs: ${WORK_DIR}`);
		await tearDown(cluster);
	});

	describe('six executions on two workers share one limit', () => {
		let result;
		let traffic;

		before(
			async () => {
				result = await runExecutions(cluster);
				traffic = enrichTraffic(cluster.sim);
			},
			{ timeout: 600_000 },
		);

		after(() => {
			if (result) cluster.log(summary(result, traffic, workerExecutions(cluster.workers)));
		});

		it('answers every webhook call with 200 and one result per row', () => {
			for (const { run, status, text, output } of result.answers) {
				assert.equal(
					status,
					200,
					`execution ${run}: webhook answered ${status}: ${text.slice(0, 500)}`,
				);
				assert.ok(Array.isArray(output), `execution ${run}: the answer is not a list`);
				const rows = result.rows[run].length;
				assert.equal(
					output.length,
					rows,
					`execution ${run}: ${output.length} results for ${rows} rows`,
				);
			}
		});

		it("pairs every result with its own row ($('Input').item)", () => {
			for (const { run, output } of result.answers) {
				const got = items(output)
					.map((o) => `${o.run} ${o.row} ${o.identifier} ${o.matched}`)
					.sort();
				const want = result.rows[run].map((r) => `${run} ${r.row} ${r.expected} true`).sort();
				assert.deepEqual(got, want, `execution ${run}: results or pairing differ`);
			}
		});

		it('runs each webhook call as its own execution', () => {
			const byRun = executionIdsByRun(result.answers);
			for (const [run, ids] of byRun) {
				assert.equal(ids.size, 1, `execution ${run}: items from several executions`);
			}
			const all = new Set(byRun.map(([, ids]) => [...ids][0]));
			assert.equal(all.size, EXECUTIONS, 'two webhook calls shared an execution');
		});

		it('runs the executions on both workers, and exactly these', () => {
			const ranBy = workerExecutions(cluster.workers);
			for (const [i, ids] of ranBy.entries()) {
				assert.ok(ids.length > 0, `${cluster.workers[i].name} ran no execution`);
			}
			const executionIds = new Set(executionIdsByRun(result.answers).map(([, ids]) => [...ids][0]));
			assert.deepEqual(
				new Set(ranBy.flat()),
				executionIds,
				'the workers did not run exactly these executions',
			);
		});

		it('gets only 200s and 429s from the API', () => {
			const other = traffic.other.map((e) => `#${e.seq} ${e.status}`);
			assert.deepEqual(other, [], 'requests that failed otherwise');
		});

		it('buys each identifier once, 25 per request', () => {
			const requests = EXECUTIONS * Math.ceil(DISTINCT_PER_EXECUTION / 25);
			assert.equal(traffic.answered.length, requests, 'answered requests');
			const bought = traffic.answered.flatMap((e) => e.identifiers);
			assert.equal(bought.length, EXECUTIONS * DISTINCT_PER_EXECUTION, 'identifiers bought');
			assert.equal(new Set(bought).size, bought.length, 'an identifier was bought twice');
		});

		it('meets the shared limit with 429s and recovers every one', () => {
			// 24 requests at 6000 a minute against 5 per 2 s: without 429s, nothing here was tested.
			assert.ok(
				traffic.rejected.length > 0,
				'no request was answered 429: the shared limit was never hit',
			);
			for (const r of traffic.rejected) {
				const key = r.identifiers.join('|');
				const retried = traffic.enrich.some(
					(e) => e.seq > r.seq && e.status === 200 && e.identifiers.join('|') === key,
				);
				assert.ok(retried, `the 429 of request #${r.seq} was never recovered`);
			}
		});

		it('never exceeds the limit', () => {
			const ats = traffic.answered.map((e) => e.at);
			const span = Math.max(...ats) - Math.min(...ats);
			const minimum = Math.floor((traffic.answered.length - 1) / LIMIT) * WINDOW_MS;
			const message = `the limit was exceeded: ${traffic.answered.length} requests in ${span} ms`;
			assert.ok(span >= minimum - 50, message);
		});
	});

	describe('memory across executions: run 2, on the other worker, sends only the new rows', () => {
		const mask = (key) => `${key.slice(0, 2)}***`;
		const profile = (row) =>
			`https://www.linkedin.com/in/queue-memory-${String(row).padStart(3, '0')}`;
		const rows = (n) => Array.from({ length: n }, (_, row) => ({ row, url: profile(row) }));
		const runs = [];
		let stopped;

		/** One execution of the memory workflow, with the enrich requests it made and its worker. */
		async function execute(run, n) {
			const from = cluster.sim.log.length;
			const answer = await runMemoryExecution(cluster, run, rows(n));
			assert.equal(answer.status, 200, `${run}: ${answer.text.slice(0, 500)}`);
			assert.ok(Array.isArray(answer.output), `${run}: the answer is not a list`);
			const executionId = answer.output[0]?.executionId;
			let worker;
			await waitUntil(`${run}'s worker to log execution ${executionId}`, async () => {
				worker = workerExecutions(cluster.workers).findIndex((ids) => ids.includes(executionId));
				return worker >= 0;
			});
			const requests = cluster.sim.log
				.slice(from)
				.filter((e) => e.path === ENRICH_PATH && e.key === mask(MEMORY_KEY));
			runs.push({ run, answer, executionId, worker, requests });
		}

		/** [row, output, identifier or reason] of every answered item, by row and output. */
		const items = (answer) =>
			answer.output
				.map((o) => [o.row, o.output, o.output === 'done' ? o.identifier : o.reason])
				.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));

		before(
			async () => {
				await execute('m1', 100);
				// The worker that ran run 1 stops: run 2 can only run on the other one.
				stopped = runs[0].worker;
				await stopWorker(cluster, cluster.workers[stopped]);
				await execute('m2', 120);
			},
			{ timeout: 300_000 },
		);

		it('run 1 buys the 100 in 4 requests and answers 100 results, each with its own row', () => {
			const [first] = runs;
			assert.deepEqual(
				first.requests.filter((e) => e.status === 200).map((e) => e.identifiers.length),
				[25, 25, 25, 25],
			);
			assert.deepEqual(
				items(first.answer),
				rows(100).map(({ row, url }) => [row, 'done', url]),
			);
			assert.ok(first.answer.output.every((o) => o.run === 'm1' && o.matched === true));
		});

		it('run 2 runs on the other worker, in another execution', () => {
			const [first, second] = runs;
			assert.notEqual(second.worker, stopped);
			assert.notEqual(second.executionId, first.executionId);
			assert.ok(second.answer.output.every((o) => o.executionId === second.executionId));
		});

		it('run 2 sends exactly the 20 new in one request; the 100 come back as Not Sent, lookedUpBefore', () => {
			const [, second] = runs;
			assert.deepEqual(
				second.requests.map((e) => [e.identifiers, e.status]),
				[
					[
						rows(120)
							.slice(100)
							.map((r) => r.url),
						200,
					],
				],
			);
			assert.deepEqual(
				items(second.answer),
				rows(120).map(({ row, url }) =>
					row < 100 ? [row, 'notSent', 'lookedUpBefore'] : [row, 'done', url],
				),
			);
			const held = second.answer.output.filter((o) => o.output === 'notSent');
			assert.ok(held.every((o) => o.run === 'm2' && o.identifiers[0] === profile(o.row)));
			assert.equal(cluster.sim.creditsCharged(MEMORY_KEY), 120, 'each person bought once');
		});
	});
});
