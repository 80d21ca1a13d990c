// n8n's queue mode (scale-out): one n8n main process and two `n8n worker` processes on Redis,
// one simulator account with one compressed rate limit (5 requests per 2 s), and six
// webhook-triggered executions at once (4 requests of 25 identifiers each, with pacing set far
// above the limit), so the executions share the limit through its headers and 429s.
// Run with `npm run test:queue` (build, n8n host, Redis, then this file), or after a build with
// `node --test test/queue/queueMode.test.mjs`. Not part of `npm test`. Logs: WORK_DIR, under
// the OS temp folder (<tmp>/n8n-nodes-crustdata-contact/queue-mode/), printed at the end.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	DISTINCT_PER_EXECUTION,
	enrichTraffic,
	EXECUTIONS,
	LIMIT,
	newCluster,
	runExecutions,
	setUp,
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

describe(
	'n8n queue mode: six executions on two workers share one limit',
	{ timeout: 900_000 },
	() => {
		const cluster = newCluster();
		let result;
		let traffic;

		before(
			async () => {
				await setUp(cluster);
				result = await runExecutions(cluster);
				traffic = enrichTraffic(cluster.sim);
			},
			{ timeout: 600_000 },
		);

		after(async () => {
			if (result) cluster.log(summary(result, traffic, workerExecutions(cluster.workers)));
			cluster.log(`[queue] logs: ${WORK_DIR}`);
			await tearDown(cluster);
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
	},
);
