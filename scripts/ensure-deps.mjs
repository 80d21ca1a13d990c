// Installs the package's own (dev) dependencies with `npm ci` when node_modules is missing or
// older than package-lock.json, so `npm test` and `npm start` work on a fresh clone.
// The project's .npmrc keeps install scripts off (see the notes on Node 20).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function mtime(file) {
	try {
		return fs.statSync(file).mtimeMs;
	} catch {
		return undefined;
	}
}

/** Why node_modules needs installing, or undefined when it is up to date. */
export function depsOutdated(root = ROOT) {
	const lock = mtime(path.join(root, 'package-lock.json'));
	// npm writes node_modules/.package-lock.json at the end of every install.
	const installed = mtime(path.join(root, 'node_modules', '.package-lock.json'));
	if (installed === undefined) return 'node_modules is missing';
	if (lock !== undefined && lock > installed) return 'package-lock.json is newer than node_modules';
	return undefined;
}

export function ensureDeps({ root = ROOT, log = (line) => console.log(line) } = {}) {
	const reason = depsOutdated(root);
	if (!reason) return false;
	log(`[deps] ${reason}: npm ci`);
	const started = Date.now();
	const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], {
		cwd: root,
		stdio: 'inherit',
	});
	if (result.status !== 0) throw new Error(`npm ci failed (exit ${result.status})`);
	log(`[deps] installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		ensureDeps();
	} catch (error) {
		console.error(error.message);
		process.exit(1);
	}
}
