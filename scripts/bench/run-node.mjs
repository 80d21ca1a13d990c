// One benchmark run of the enrich node, in this process, the way n8n runs it: the built node
// (dist/) in a real `Workflow` executed by n8n-core's `WorkflowExecute`, which builds the real
// `ExecuteContext` (per-item expression evaluation, `httpRequestWithAuthentication` through
// n8n-core's request stack with the credential's `authenticate` applied). A JavaScript port of
// the jest harness in test/integration/harness.ts, without jest.
//
//   node --expose-gc scripts/bench/run-node.mjs <job.json> <result.json>
//
// job: {items, parameters, simUrl, apiKey, dist}. The simulator runs in another process, so what
// this process measures is n8n-core plus the node. The node's own share is taken around its
// execute() call only: process.cpuUsage() (user + system) from its first to its last line,
// V8's used heap sampled every 10 ms during it (peak minus the heap in use just before, after
// a full GC), and the process's peak RSS (getrusage maxRSS) for scale.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(ROOT, 'package.json'));
const { ExecutionLifecycleHooks, ExternalSecretsProxy, WorkflowExecute } = require('n8n-core');
const { createRunExecutionData, ICredentialsHelper, isExpression, NodeConnectionTypes, Workflow } = require('n8n-workflow');

const NODE_TYPE = 'n8n-nodes-crustdata-contact.crustdataContactEnrich';
const INPUT_TYPE = 'n8n-nodes-bench.input';
const INSTANCE_URL = 'http://localhost:5678';

class InputNode {
	description = {
		displayName: 'Bench Input',
		name: 'input',
		group: ['trigger'],
		version: 1,
		description: 'Emits the benchmark items (pinned).',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute() {
		return [this.getInputData()];
	}
}

class NodeTypes {
	constructor(types) {
		this.types = types;
	}
	getByName(name) {
		return this.getByNameAndVersion(name);
	}
	getByNameAndVersion(name) {
		const type = this.types[name];
		if (!type) throw new Error(`unknown node type ${name}`);
		return type;
	}
	getKnownTypes() {
		return {};
	}
}

/** The CLI's CredentialsHelper reduced to what one credential needs (as in the jest harness). */
class CredentialsHelper extends ICredentialsHelper {
	constructor(type, data) {
		super();
		this.type = type;
		this.data = data;
	}
	getParentTypes() {
		return [];
	}
	isCredentialUsableByNode() {
		return true;
	}
	getCredentialsProperties() {
		return this.type.properties;
	}
	async getDecrypted() {
		const defaults = Object.fromEntries(this.type.properties.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]));
		return { ...defaults, ...this.data };
	}
	async getCredentials() {
		throw new Error('stored credentials are not available in the benchmark');
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const targets = this.type.authenticate.properties;
		for (const [target, entries] of Object.entries(targets)) {
			const resolved = { ...(requestOptions[target] ?? {}) };
			for (const [key, value] of Object.entries(entries)) {
				const resolve = (v) =>
					typeof v === 'string' && isExpression(v)
						? String(workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: credentials }, undefined, '') ?? '')
						: String(v);
				resolved[resolve(key)] = resolve(value);
			}
			requestOptions[target] = resolved;
		}
		return requestOptions;
	}
	async preAuthentication() {
		return undefined;
	}
	async runPreAuthentication() {
		return undefined;
	}
	async updateCredentials() {}
	async updateCredentialsOauthTokenData() {}
}

const unsupported = (what) => () => {
	throw new Error(`${what} is not available in the benchmark`);
};

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

/** `dist`: the build to run (default: the project's dist/). */
export async function runNode({ items, parameters, simUrl, apiKey, dist = path.join(ROOT, 'dist') }) {
	const { CrustdataContactEnrich } = require(path.join(dist, 'nodes/CrustdataContactEnrich/CrustdataContactEnrich.node.js'));
	const { CrustdataContactApi } = require(path.join(dist, 'credentials/CrustdataContactApi.credentials.js'));
	const nodeType = new CrustdataContactEnrich();
	const sink = {};
	measured(nodeType, sink);
	const nodes = [
		{ id: 'input', name: 'Input', type: INPUT_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
		{
			id: 'crustdata',
			name: 'Crustdata',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: structuredClone(parameters),
			credentials: { crustdataContactApi: { id: '1', name: 'Bench' } },
			// Bad rows become error items and the rest goes on, as a nightly job would be set up.
			onError: 'continueRegularOutput',
		},
	];
	const main = NodeConnectionTypes.Main;
	const connections = { Input: { [main]: [[{ node: 'Crustdata', type: main, index: 0 }]] } };
	const workflow = new Workflow({
		id: 'bench',
		name: 'Bench',
		nodes,
		connections,
		active: false,
		nodeTypes: new NodeTypes({ [INPUT_TYPE]: new InputNode(), [NODE_TYPE]: nodeType }),
		settings: { executionOrder: 'v1' },
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'bench-execution', {
		id: 'bench',
		name: 'Bench',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	});
	const additionalData = {
		credentialsHelper: new CredentialsHelper(new CrustdataContactApi(), { apiKey, baseUrl: simUrl }),
		hooks,
		executionId: 'bench-execution',
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${INSTANCE_URL}/rest`,
		instanceBaseUrl: INSTANCE_URL,
		formBaseUrl: `${INSTANCE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_URL}/form-test`,
		webhookBaseUrl: `${INSTANCE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}/webhook-test`,
		mcpBaseUrl: `${INSTANCE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}/mcp-test`,
		variables: {},
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: unsupported('getRunExecutionData'),
		getRuntimeCredential: unsupported('getRuntimeCredential'),
		startRunnerTask: unsupported('startRunnerTask'),
		logAiEvent: () => {},
	};
	const runExecutionData = createRunExecutionData({
		resultData: { pinData: { Input: items.map((json) => ({ json })) } },
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData.Crustdata?.[0];
	if (!task?.data) throw new Error(`the node did not run: ${JSON.stringify(run.data.resultData.error ?? task?.error)}`);
	const output = task.data.main[0] ?? [];
	const errors = output.filter((o) => o.json.error !== undefined);
	return {
		...sink,
		maxRssMB: process.resourceUsage().maxRSS / 1024,
		outputItems: output.length,
		matchedItems: output.filter((o) => o.json.matched === true).length,
		errorItems: errors.length,
		requestErrors: errors.filter((o) => o.json.details?.httpCode !== undefined).length,
		// Per output item, the input rows it is paired with and what it says, for the caller's checks.
		pairs: output.map((o) => [[o.pairedItem ?? []].flat().map((p) => (typeof p === 'number' ? p : p.item)), o.json.identifier ?? null, o.json.error ? 'error' : o.json.matched]),
		hints: (task.hints ?? []).map((h) => h.message),
	};
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const [jobFile, resultFile] = process.argv.slice(2);
	const job = JSON.parse(fs.readFileSync(jobFile, 'utf8'));
	const result = await runNode(job);
	fs.writeFileSync(resultFile, JSON.stringify(result));
}
