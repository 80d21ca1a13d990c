// The example workflows that `npm start` imports, executed in a real n8n against the simulator:
// every one that a Manual Trigger can start must run through without an error. Every Crustdata
// node (not the tools an agent calls) sends failed rows to its error output, and something takes
// them; example 5 (nightly, budgets and memory) puts its results on output 0 and its blank row on
// Not Sent.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exampleFiles, exampleWorkflows } from '../../scripts/examples.mjs';
import { ROOT } from '../../scripts/n8n-host.mjs';
import { lookupProfileUrl } from '../../simulator/fixtures.mjs';
import { nodeOutput, pairedIndices, setUp } from './harness.mjs';

const KEY = 'e2e-examples-key';
const CREDENTIAL = 'Crustdata (e2e examples)';
const isCrustdata = (node) => node.type.startsWith('n8n-nodes-crustdata-contact.');
// What `n8n execute` can start; the others (chat, schedule only) need a running instance.
const runnable = (workflow) =>
	workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger');
const isTool = (node) => node.type.endsWith('Tool');
const NIGHTLY = '5-nightly-crm-enrich.json';

/**
 * How many outputs n8n shows for a Crustdata node with these parameters, before the error output:
 * the node's own `outputs` expression (from the built package), evaluated as n8n does with
 * `$parameter` (defaults filled in for the operation).
 */
function ownOutputs(node) {
	const require = createRequire(import.meta.url);
	const built = path.join(ROOT, 'dist/nodes/CrustdataContactEnrich/CrustdataContactEnrich.node.js');
	const { description } = new (require(built).CrustdataContactEnrich)();
	if (Array.isArray(description.outputs)) return description.outputs.length;
	const operation = description.properties.find((p) => p.name === 'operation').default;
	const expression = description.outputs.replace(/^=\{\{/, '').replace(/\}\}$/, '');
	const parameters = { operation, ...node.parameters };
	return new Function('$parameter', `return ${expression}`)(parameters).length;
}

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

	it('wires the error output of every Crustdata node (not the tools) to a node', () => {
		const files = exampleFiles();
		let checked = 0;
		for (const [i, workflow] of workflows.entries()) {
			const file = path.basename(files[i]);
			for (const node of workflow.nodes.filter((n) => isCrustdata(n) && !isTool(n))) {
				assert.equal(node.onError, 'continueErrorOutput', `${file}: "${node.name}" onError`);
				const errorOutput = ownOutputs(node); // the last output: 1, or 2 after Not Sent
				const main = workflow.connections[node.name]?.main ?? [];
				assert.ok(
					(main[errorOutput] ?? []).length > 0,
					`${file}: nothing takes "${node.name}"'s error output (output ${errorOutput})`,
				);
				assert.ok(main.length <= errorOutput + 1, `${file}: "${node.name}" has too many outputs`);
				checked++;
			}
		}
		assert.ok(checked >= 4, `${checked} Crustdata nodes checked`);
		const nightly = workflows[files.findIndex((f) => f.endsWith(NIGHTLY))];
		const node = nightly.nodes.find((n) => isCrustdata(n));
		assert.equal(ownOutputs(node), 2, 'example 5 shows Not Sent');
	});

	it('example 5: results on output 0, the blank row on Not Sent, nothing on the error output', () => {
		const files = exampleFiles();
		const workflow = workflows[files.findIndex((f) => f.endsWith(NIGHTLY))];
		const result = results.get(workflow.name);
		assert.equal(result.status, 'success', `${workflow.name}: ${result.error}`);
		const node = workflow.nodes.find((n) => isCrustdata(n)).name;
		const email = (slug) =>
			lookupProfileUrl(`https://www.linkedin.com/in/${slug}`)[0].person.business_emails[0].email;
		assert.deepEqual(
			nodeOutput(result, node, 0).map((o) => [
				pairedIndices(o),
				o.json.crmId,
				o.json.matched,
				o.json.businessEmail,
			]),
			[
				[[0], 101, true, email('ada-lovelace')],
				[[1], 102, true, email('grace-hopper')],
				[[3], 104, true, email('katherine-johnson')],
				[[4], 105, false, null],
			],
		);
		assert.deepEqual(
			nodeOutput(result, node, 1).map((o) => [pairedIndices(o), o.json]),
			[
				[
					[2],
					{
						crmId: 103,
						name: 'No URL Yet',
						linkedin_url: '',
						reason: 'noIdentifier',
						identifiers: [],
						message: 'Not sent: the item has no identifier. Nothing was bought for this item.',
					},
				],
			],
		);
		assert.deepEqual(nodeOutput(result, node, 2), []);
		// Downstream: the CRM update gets the four results, the next night the blank row.
		assert.deepEqual(
			nodeOutput(result, 'Update CRM').map((o) => [o.json.crmId, o.json.email]),
			[
				[101, email('ada-lovelace')],
				[102, email('grace-hopper')],
				[104, email('katherine-johnson')],
				[105, null],
			],
		);
		assert.deepEqual(
			nodeOutput(result, 'Not Sent: Next Night').map((o) => o.json.crmId),
			[103],
		);
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
