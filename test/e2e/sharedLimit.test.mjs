// Two n8n processes, one Crustdata account, one rate limit: two executions of an enrichment
// workflow run at the same time (two `n8n execute`, each with its own user folder, like two n8n
// instances sharing one API key) against one simulator whose limit both must share. The limit
// is compressed (3 requests per 2 s sliding window, reset in milliseconds) and the node's own
// limit is set high, so only the API's x-ratelimit-* headers and 429s can keep the two apart.
// Both must finish with every result, paired to its input item, every identifier bought once,
// and every 429 recovered by a later 200 for the same identifiers; and 429s must have happened
// (each execution learns the budget only from its own answers, so the other's requests surprise
// it), or the recovery was never tested.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	createUserFolder,
	ensureHost,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	n8nId,
	packProject,
} from '../../scripts/n8n-host.mjs';
import { startSimulator } from '../../simulator/index.mjs';
import {
	CREDENTIAL_TYPE,
	e2eFolder,
	ENRICH_PATH,
	explain,
	nodeOutput,
	pairedIndices,
	printFolderOnFailure,
	WorkflowBuilder,
} from './harness.mjs';

const KEY = 'e2e-shared-limit-key';
const LIMIT = 3;
const WINDOW_MS = 2000;
const DISTINCT = 250; // 10 requests per execution: 20 in all, at least 7 windows of the shared limit
const canonical = (slug) => `https://www.linkedin.com/in/${slug}`;

/** Items of one execution: 250 distinct people over 300 items, every fifth one a re-spelled duplicate. */
function itemsFor(tag) {
	const slug = (n) => `shared-${tag}-${String(n).padStart(3, '0')}`;
	const items = [];
	for (let n = 0; n < DISTINCT; n++) {
		items.push({ row: items.length, url: canonical(slug(n)), expected: canonical(slug(n)) });
		if (n % 5 === 4) {
			const again = slug(n - 2);
			items.push({
				row: items.length,
				url: `http://uk.linkedin.com/in/${again.toUpperCase()}/?trk=x`,
				expected: canonical(again),
			});
		}
	}
	return items;
}

/** One n8n instance (its own user folder, database and task-runner port) using the shared simulator. */
async function instance(host, name, simUrl, items, tarball) {
	const userFolder = e2eFolder(name);
	fs.rmSync(userFolder, { recursive: true, force: true });
	printFolderOnFailure(name, userFolder);
	const ctx = await createUserFolder(userFolder);
	installPackage(userFolder, { tarball });
	const [credentialId] = await importCredential(host, ctx, {
		id: n8nId(`${name}/credential`),
		name: 'Crustdata (shared account)',
		type: CREDENTIAL_TYPE,
		data: { apiKey: KEY, baseUrl: simUrl },
	});
	const wf = new WorkflowBuilder(`E2E shared limit ${name}`);
	wf.branch('Shared', {
		items,
		credential: { id: credentialId, name: 'Crustdata (shared account)' },
		parameters: {
			identifyBy: 'profileUrl',
			profileUrls: '={{ $json.url }}',
			// Far above the server's limit: the shared limit must be met through its headers.
			options: { requestsPerMinute: 6000 },
		},
	});
	const [workflowId] = await importWorkflow(host, ctx, wf.toJSON());
	return {
		async execute() {
			const result = await executeWorkflow(host, ctx, workflowId, { timeoutMs: 300_000 });
			fs.writeFileSync(path.join(userFolder, `execution-${workflowId}.log`), result.output);
			return result;
		},
	};
}

describe('two n8n processes sharing one rate limit', { timeout: 600_000 }, () => {
	let sim;
	const runs = {};
	const items = { a: itemsFor('a'), b: itemsFor('b') };

	before(async () => {
		const host = await ensureHost({ log: (line) => process.stderr.write(`${line}\n`) });
		sim = await startSimulator({
			port: 0,
			keys: { [KEY]: {} },
			rateLimit: { limit: LIMIT, windowMs: WINDOW_MS },
			resetDecimals: 3,
			latencyMs: 30,
		});
		const tarball = packProject();
		const [a, b] = await Promise.all([
			instance(host, 'shared-limit-a', sim.url, items.a, tarball),
			instance(host, 'shared-limit-b', sim.url, items.b, tarball),
		]).finally(() => fs.rmSync(path.dirname(tarball), { recursive: true, force: true }));
		[runs.a, runs.b] = await Promise.all([a.execute(), b.execute()]);
		assert.equal(runs.a.code, 0, `execution A failed: ${explain(runs.a)}`);
		assert.equal(runs.b.code, 0, `execution B failed: ${explain(runs.b)}`);
	});

	after(async () => {
		await sim?.close();
	});

	const requestsOf = (tag) =>
		sim.log.filter(
			(e) => e.path === ENRICH_PATH && e.identifiers?.[0]?.includes(`/shared-${tag}-`),
		);

	it('ran both executions against the limit at the same time', () => {
		const span = (tag) => {
			const at = requestsOf(tag).map((e) => e.at);
			return [Math.min(...at), Math.max(...at)];
		};
		const [a0, a1] = span('a');
		const [b0, b1] = span('b');
		assert.ok(a0 < b1 && b0 < a1, `the executions did not overlap: A ${a0}–${a1}, B ${b0}–${b1}`);
		// Each alone needs ≥ 3 windows; together the account's limit is the bottleneck.
		const all = sim.log.filter((e) => e.path === ENRICH_PATH && e.status === 200).map((e) => e.at);
		const minimum = Math.floor((all.length - 1) / LIMIT) * WINDOW_MS;
		assert.ok(
			Math.max(...all) - Math.min(...all) >= minimum - 50,
			'the server admitted more than its limit',
		);
	});

	for (const tag of ['a', 'b']) {
		it(`execution ${tag.toUpperCase()}: every result, each paired with its input item`, () => {
			const output = nodeOutput(runs[tag], 'Shared Crustdata');
			const got = output.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier}`).sort();
			const want = items[tag].map((item, index) => `${index} ${item.expected}`).sort();
			assert.equal(output.length, items[tag].length);
			assert.deepEqual(got, want);
			for (const o of output) assert.equal(o.json.matched, true);
			const checked = nodeOutput(runs[tag], 'Shared Check');
			assert.deepEqual(
				checked.map((o) => `${o.json.pairedInput.row} ${o.json.identifier}`).sort(),
				items[tag].map((item) => `${item.row} ${item.expected}`).sort(),
			);
		});

		it(`execution ${tag.toUpperCase()}: each identifier bought once, in ceil(distinct / 25) answered requests`, () => {
			const answered = requestsOf(tag).filter((e) => e.status === 200);
			assert.equal(answered.length, Math.ceil(DISTINCT / 25));
			const bought = answered.flatMap((e) => e.identifiers);
			assert.equal(bought.length, DISTINCT, 'an identifier was bought twice');
			assert.equal(new Set(bought).size, DISTINCT);
		});
	}

	it('met the shared limit with 429s and recovered every one: each was later answered 200, nothing else failed', () => {
		const enrich = sim.log.filter((e) => e.path === ENRICH_PATH);
		const statuses = new Set(enrich.map((e) => e.status));
		assert.deepEqual(
			[...statuses].filter((s) => s !== 200 && s !== 429),
			[],
			'a request failed otherwise',
		);
		const rejected = enrich.filter((e) => e.status === 429);
		// Two executions that each learn the budget from their own answers, at 6000 a minute against
		// 3 per 2 s: without a 429, the recovery below would pass without testing anything.
		assert.ok(
			rejected.length > 0,
			`no request was answered 429 (${enrich.length} requests): the shared limit was never hit`,
		);
		for (const r of rejected) {
			const key = r.identifiers.join('|');
			const later = enrich.find(
				(e) => e.seq > r.seq && e.status === 200 && e.identifiers.join('|') === key,
			);
			assert.ok(later, `the 429 of request #${r.seq} was never recovered`);
		}
		process.stderr.write(
			`[shared-limit] ${enrich.length} enrich requests, ${rejected.length} answered 429 and retried, ` +
				`${enrich.length - rejected.length} answered 200\n`,
		);
	});
});
