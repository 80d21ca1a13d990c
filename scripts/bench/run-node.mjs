// One benchmark run of the enrich node, in this process, the way n8n runs it: the built node
// (dist/) run by the jest integration harness (test/integration/harness.ts, compiled by
// `npm run bench`): a real `Workflow` executed by n8n-core's `WorkflowExecute`, which builds the
// real `ExecuteContext` (per-item expression evaluation, `httpRequestWithAuthentication` through
// n8n-core's request stack with the credential's `authenticate` applied).
//
//   node --expose-gc scripts/bench/run-node.mjs <job.json> <result.json>
//
// job: {items, parameters, simUrl, apiKey, dist, harness}. The simulator runs in another process,
// so what this process measures is n8n-core plus the node. The node's own share is taken around
// its execute() call only: process.cpuUsage() (user + system) from its first to its last line,
// V8's used heap sampled every 10 ms during it (peak minus the heap in use just before, after
// a full GC), and the process's peak RSS (getrusage maxRSS) for scale.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const require = createRequire(import.meta.url);

/** Wraps the node's execute() with the measurements described at the top. */
function measured(nodeType, sink) {
	const execute = nodeType.execute;
	nodeType.execute = async function measuredExecute(...args) {
		globalThis.gc?.();
		const heapBefore = v8.getHeapStatistics().used_heap_size;
		let heapPeak = heapBefore;
		const sampler = setInterval(() => {
			heapPeak = Math.max(heapPeak, v8.getHeapStatistics().used_heap_size);
		}, 10);
		const cpu = process.cpuUsage();
		sink.startedAt = Date.now();
		const t0 = performance.now();
		try {
			return await execute.apply(this, args);
		} finally {
			const used = process.cpuUsage(cpu);
			sink.wallMs = performance.now() - t0;
			sink.endedAt = Date.now();
			clearInterval(sampler);
			heapPeak = Math.max(heapPeak, v8.getHeapStatistics().used_heap_size);
			sink.cpuMs = (used.user + used.system) / 1000;
			sink.cpuUserMs = used.user / 1000;
			sink.cpuSystemMs = used.system / 1000;
			sink.heapBeforeMB = heapBefore / 2 ** 20;
			sink.heapPeakDeltaMB = (heapPeak - heapBefore) / 2 ** 20;
		}
	};
}

/** `dist`: the build to run; `harness`: the compiled test/integration/harness.js. */
export async function runNode({ items, parameters, simUrl, apiKey, dist, harness }) {
	const { runNode: runInWorkflow } = require(harness);
	const { CrustdataContactEnrich } = require(
		path.join(dist, 'nodes/CrustdataContactEnrich/CrustdataContactEnrich.node.js'),
	);
	const { CrustdataContactApi } = require(
		path.join(dist, 'credentials/CrustdataContactApi.credentials.js'),
	);
	const nodeType = new CrustdataContactEnrich();
	const sink = {};
	measured(nodeType, sink);
	const { output: outputs, hints } = await runInWorkflow({
		node: nodeType,
		parameters,
		items: items.map((json) => ({ json })),
		credentials: { type: 'crustdataContactApi', data: { apiKey, baseUrl: simUrl } },
		credentialType: new CrustdataContactApi(),
		// Bad rows become error items and the rest goes on, as a nightly job would be set up.
		onError: 'continueRegularOutput',
	});
	const output = outputs[0] ?? [];
	const errors = output.filter((o) => o.json.error !== undefined);
	return {
		...sink,
		maxRssMB: process.resourceUsage().maxRSS / 1024,
		outputItems: output.length,
		matchedItems: output.filter((o) => o.json.matched === true).length,
		errorItems: errors.length,
		requestErrors: errors.filter((o) => o.json.details?.httpCode !== undefined).length,
		// Per output item, the input rows it is paired with and what it says, for the caller's checks.
		pairs: output.map((o) => [
			[o.pairedItem ?? []].flat().map((p) => (typeof p === 'number' ? p : p.item)),
			o.json.identifier ?? null,
			o.json.error ? 'error' : o.json.matched,
		]),
		hints: hints.map((h) => h.message),
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [jobFile, resultFile] = process.argv.slice(2);
	const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
	const result = await runNode(job);
	fs.writeFileSync(resultFile, JSON.stringify(result));
}
