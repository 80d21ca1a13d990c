// The example workflows that `npm start` imports, executed in a real n8n against the simulator:
// every one that a Manual Trigger can start must run through without an error.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exampleFiles, exampleWorkflows } from '../../scripts/examples.mjs';
import { nodeOutput, setUp } from './harness.mjs';

const KEY = 'e2e-examples-key';
const CREDENTIAL = 'Crustdata (e2e examples)';
const isCrustdata = (node) => node.type.startsWith('n8n-nodes-crustdata-contact.');
// What `n8n execute` can start; the others (chat, schedule only) need a running instance.
const runnable = (workflow) =>
	workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');

describe('the example workflows in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let workflows;
	const results = new Map();

	before(async () => {
		env = await setUp('examples', {
			simulator: {
				keys: { [KEY]: {} },
				rateLimit: { limit: 1000, windowMs: 60_000 },
				batch: { pendingMs: 300, processingMs: 700 },
			},
			credentials: [{ name: CREDENTIAL, apiKey: KEY }],
		});
		workflows = exampleWorkflows(env.credential(CREDENTIAL));
		await env.importWorkflows(workflows);
		const batch = await env.executeBatch(workflows.filter(runnable).map((w) => w.id));
		assert.equal(batch.secretsPrinted, 0, 'n8n printed the API key');
		for (const workflow of workflows.filter(runnable))
			results.set(workflow.name, batch.results.get(workflow.id));
	});

	after(async () => {
		await env?.tearDown();
	});

	it('has examples that use the node, most of them runnable from the CLI', () => {
		assert.ok(exampleFiles().length >= 1);
		assert.ok(workflows.every((w) => w.nodes.some(isCrustdata)));
		assert.ok(results.size >= 1);
	});

	it('runs every runnable example without an error, each node succeeding', () => {
		for (const [name, result] of results) {
			assert.equal(result.status, 'success', `${name}: ${result.error}`);
			const runData = result.data.data.resultData.runData;
			for (const [nodeName, runs] of Object.entries(runData)) {
				assert.ok(
					runs.every((r) => r.executionStatus === 'success' && !r.error),
					`${name}: node "${nodeName}" failed`,
				);
			}
		}
	});

	it('gets contact data out of the Crustdata node in each', () => {
		for (const workflow of workflows.filter(runnable)) {
			const result = results.get(workflow.name);
			for (const node of workflow.nodes.filter(isCrustdata)) {
				const output = nodeOutput(result, node.name);
				assert.ok(output?.length > 0, `${workflow.name}: "${node.name}" gave no items`);
				assert.ok(
					output.some((o) => o.json.matched === true),
					`${workflow.name}: "${node.name}" matched nobody`,
				);
				assert.equal(env.sim.log.filter((e) => e.status === 401 || e.status === 400).length, 0);
			}
		}
	});
});
