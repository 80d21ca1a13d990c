// Shared set-up of the end-to-end tests: one installed n8n host, one user folder and one
// simulator per test file, and builders for the workflows the tests import and execute.
// (Not a test file itself: the runners pick `*.test.mjs` only.)
import fs from 'node:fs';
import path from 'node:path';
import {
	createUserFolder,
	ensureHost,
	executeBatch,
	executeWorkflow,
	freePort,
	importCredential,
	importWorkflow,
	installPackage,
	n8nId,
	PACKAGE_NAME,
	workDir,
} from '../../scripts/n8n-host.mjs';
import { startSimulator } from '../../simulator/index.mjs';

export const NODE_TYPE = `${PACKAGE_NAME}.crustdataContactEnrich`;
export const CREDENTIAL_TYPE = 'crustdataContactApi';
export const ENRICH_PATH = '/person/contact/enrich';

/**
 * The n8n user folder of one e2e set-up, outside the repository (see workDir in
 * scripts/n8n-host.mjs): n8n's database, config and the output of each run (`execution-<id>.log`).
 */
export function e2eFolder(name) {
	return workDir('e2e', name);
}

/**
 * Say where a test file's n8n output is when the file fails: node's test runner sets the exit
 * code of a test file with a failure before the process exits.
 */
export function printFolderOnFailure(label, folder) {
	process.once('exit', (code) => {
		if (code !== 0)
			process.stderr.write(`[e2e] ${label}: n8n's output of each run is in ${folder}\n`);
	});
}

/**
 * Start everything one test file needs. `simulator` are the simulator's options (its API keys
 * among them); one credential is imported per entry of `credentials` ({name, apiKey, baseUrl?}),
 * pointing at the simulator unless `baseUrl` says otherwise (a URL, or a function of the
 * simulator's URL: another simulator, a wrong path).
 */
export async function setUp(name, { simulator = {}, credentials = [] } = {}) {
	const log = (line) => process.stderr.write(`${line}\n`);
	const host = await ensureHost({ log });
	const userFolder = e2eFolder(name);
	fs.rmSync(userFolder, { recursive: true, force: true });
	printFolderOnFailure(name, userFolder);
	const ctx = await createUserFolder(userFolder);
	installPackage(userFolder);
	const sim = await startSimulator({ port: 0, ...simulator });
	const ids = await importCredential(
		host,
		ctx,
		credentials.map((c) => ({
			id: n8nId(`${name}/${c.name}`),
			name: c.name,
			type: CREDENTIAL_TYPE,
			data: {
				apiKey: c.apiKey,
				baseUrl: typeof c.baseUrl === 'function' ? c.baseUrl(sim.url) : (c.baseUrl ?? sim.url),
			},
		})),
	);
	const credentialsByName = Object.fromEntries(
		credentials.map((c, i) => [c.name, { id: ids[i], name: c.name }]),
	);
	return {
		host,
		ctx,
		sim,
		credential: (credentialName) => credentialsByName[credentialName],
		importWorkflows: (workflows) => importWorkflow(host, ctx, workflows),
		/** Run a workflow; n8n's output is kept in the user folder for a look after a failure. */
		async execute(id) {
			const result = await executeWorkflow(host, ctx, id);
			fs.writeFileSync(path.join(userFolder, `execution-${id}.log`), result.output);
			return result;
		},
		/** Run several workflows in one n8n process (successful runs come with their data). */
		async executeBatch(ids) {
			const result = await executeBatch(host, ctx, ids);
			fs.writeFileSync(path.join(userFolder, `execute-batch-${ids.length}.log`), result.output);
			return result;
		},
		async tearDown() {
			await sim.close();
		},
	};
}

/** The API requests the simulator saw for these identifiers (lower-cased match), in order. */
export function enrichRequests(sim, predicate = () => true) {
	return sim.log.filter((e) => e.path === ENRICH_PATH && predicate(e));
}

/**
 * A workflow builder: a Manual Trigger and, below it, independent branches
 * Input (Code) → Crustdata → downstream nodes. n8n's v1 execution order runs the branches one
 * after the other, top to bottom, so one `n8n execute` covers several cases.
 */
export class WorkflowBuilder {
	constructor(name) {
		this.name = name;
		this.id = n8nId(`workflow/${name}`);
		this.nodes = [];
		this.connections = {};
		this.row = 0;
		this.add(
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
			0,
		);
	}

	add(node, column) {
		this.nodes.push({
			id: n8nId(`${this.name}/${node.name}`),
			position: [column * 260, this.row * 200],
			...node,
		});
		return node.name;
	}

	connect(from, to, output = 0) {
		const main = (this.connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}

	/**
	 * One branch. `items` are the JSON objects the Input code node emits; `parameters` the
	 * Crustdata node's; `after` the downstream nodes per output ({outputIndex: nodeName}), each a
	 * Set node that copies `$('<Input>').item.json` (the paired input item) next to the output.
	 */
	branch(prefix, { items, parameters, credential, onError, after = { 0: `${prefix} Check` } }) {
		this.row += 1;
		const input = this.add(
			{
				name: `${prefix} Input`,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
			},
			1,
		);
		this.connect('Start', input);
		const crustdata = this.add(
			{
				name: `${prefix} Crustdata`,
				type: NODE_TYPE,
				typeVersion: 1,
				parameters: { operation: 'enrich', ...parameters },
				credentials: { [CREDENTIAL_TYPE]: credential },
				...(onError ? { onError } : {}),
			},
			2,
		);
		this.connect(input, crustdata);
		for (const [output, name] of Object.entries(after)) {
			const check = this.add(
				{
					name,
					type: 'n8n-nodes-base.set',
					typeVersion: 3.4,
					parameters: {
						mode: 'manual',
						includeOtherFields: true,
						assignments: {
							assignments: [
								{
									id: n8nId(`${name}/pairedInput`),
									name: 'pairedInput',
									type: 'object',
									value: `={{ $('${input}').item.json }}`,
								},
							],
						},
						options: {},
					},
				},
				3,
			);
			this.row += Number(output) > 0 ? 0.5 : 0;
			this.connect(crustdata, check, Number(output));
		}
		return { input, crustdata };
	}

	toJSON() {
		return {
			id: this.id,
			name: this.name,
			nodes: this.nodes,
			connections: this.connections,
			active: false,
			settings: { executionOrder: 'v1' },
		};
	}
}

/** Items of one node's run in the execution data: output `output` of its first run. */
export function nodeOutput(result, nodeName, output = 0) {
	const runs = result.data?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[0]?.data?.main?.[output] ?? [];
}

/** The messages of the execution hints one node's first run added (its summary, mostly). */
export function nodeHints(result, nodeName) {
	const run = result.data?.data?.resultData?.runData?.[nodeName]?.[0];
	return (run?.hints ?? []).map((hint) => hint.message);
}

/** The pairedItem indices of one output item, as a list. */
export function pairedIndices(item) {
	return [item.pairedItem ?? []].flat().map((p) => (typeof p === 'number' ? p : p.item));
}

/** A short description of a failed execution, for assertion messages. */
export function explain(result) {
	const error = result.data?.data?.resultData?.error;
	if (error) return `${error.message}${error.description ? ` (${error.description})` : ''}`;
	return result.output.slice(-2500);
}

/**
 * Run several workflows at once, one `n8n execute` process each, on the user folder of `env`
 * (from setUp); each process gets its own task-broker port and its own copy of the database
 * (n8n sets no SQLite busy timeout, so two processes writing one file at once can fail with
 * SQLITE_BUSY). For cases that mostly wait (retry backoff): n8n runs the branches of one workflow
 * one after the other. Resolves with the results in the order of `ids`, each with `seconds` (wall
 * time of its process) added.
 */
export async function executeConcurrently(env, ids, { timeoutMs = 240_000 } = {}) {
	return Promise.all(
		ids.map(async (id) => {
			const ctx = { ...env.ctx, brokerPort: await freePort() };
			const database = copyDatabase(env.ctx.userFolder, `execution-${id}`);
			const started = Date.now();
			const result = await executeWorkflow(env.host, ctx, id, {
				timeoutMs,
				env: { DB_SQLITE_DATABASE: database },
			});
			fs.writeFileSync(path.join(env.ctx.userFolder, `execution-${id}.log`), result.output);
			return { ...result, seconds: (Date.now() - started) / 1000 };
		}),
	);
}

/** A copy of the user folder's database (and its write-ahead log) as `<name>.sqlite`, beside it. */
function copyDatabase(userFolder, name) {
	const dir = path.join(userFolder, '.n8n');
	const copy = path.join(dir, `${name}.sqlite`);
	for (const suffix of ['', '-wal', '-shm']) fs.rmSync(copy + suffix, { force: true });
	for (const suffix of ['', '-wal']) {
		const from = path.join(dir, `database.sqlite${suffix}`);
		if (fs.existsSync(from)) fs.copyFileSync(from, copy + suffix);
	}
	return copy;
}
