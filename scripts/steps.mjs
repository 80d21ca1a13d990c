// Steps shared by `npm test` (scripts/test.mjs) and `npm run test:e2e` (scripts/e2e.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureHost, ROOT, workDir } from './n8n-host.mjs';

export { ROOT };
export const E2E_DIR = path.join(ROOT, 'test', 'e2e');

/** Run a command with inherited output; resolves with its exit code. */
export function run(command, args, options = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
		child.on('error', reject);
		child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
	});
}

export async function build() {
	console.log('\n[build] npm run build');
	const code = await run('npm', ['run', 'build']);
	if (code !== 0) throw new Error(`npm run build failed (exit ${code})`);
}

/**
 * Type-check the sources and the tests: jest transpiles each file alone (isolatedModules, for
 * speed), so a type error would otherwise pass unnoticed.
 */
export async function typecheck() {
	console.log('\n[types] tsc -p test/tsconfig.json');
	const code = await run('npx', ['tsc', '-p', 'test/tsconfig.json']);
	if (code !== 0) throw new Error(`type check failed (exit ${code})`);
}

/** jest (unit + integration); returns its counts read from its JSON report. */
export async function runJest() {
	console.log('\n[jest] unit and integration tests');
	const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jest-report-')), 'report.json');
	const code = await run('npx', ['jest', '--passWithNoTests', '--json', `--outputFile=${report}`]);
	let passed = 0;
	let failed = code === 0 ? 0 : 1;
	try {
		const json = JSON.parse(fs.readFileSync(report, 'utf8'));
		passed = json.numPassedTests;
		// A suite that fails to load has no failed test: count it so the total says so.
		failed = json.numFailedTests + json.numRuntimeErrorTestSuites;
		if (code !== 0 && failed === 0) failed = 1;
	} catch {
		console.error('[jest] no JSON report was written');
	}
	fs.rmSync(path.dirname(report), { recursive: true, force: true });
	return { passed, failed };
}

const SIMULATOR_TEST_DIR = path.join(ROOT, 'simulator', 'test');

const testFilesIn = (dir) =>
	fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.test.mjs'))
		.sort()
		.map((f) => path.join(dir, f));

/** The e2e test files, in a stable order. */
export function e2eFiles() {
	return testFilesIn(E2E_DIR);
}

/** The node:test files that run with the e2e tests: the simulator's own, then the e2e ones. */
export function nodeTestFiles() {
	return [...testFilesIn(SIMULATOR_TEST_DIR), ...e2eFiles()];
}

/**
 * Start installing the n8n host now, to overlap its cold install (minutes, mostly disk and
 * network) with other work. Returns a function that waits for it; a failure surfaces there,
 * never as an unhandled rejection.
 */
export function startHostInstall() {
	const settled = ensureHost().then(
		(host) => ({ host }),
		(error) => ({ error }),
	);
	return async () => {
		const { host, error } = await settled;
		if (error) throw error;
		return host;
	};
}

/**
 * Ensure the n8n host (with visible progress), then run the e2e tests with node's test runner
 * under this Node (20); the tests start n8n under the host's Node 24. Counts come from a TAP
 * copy of the report while the spec report goes to the terminal.
 */
export async function runE2E(waitForHost = ensureHost) {
	console.log('\n[e2e] n8n host');
	await waitForHost();
	console.log("\n[e2e] the simulator's tests, then end-to-end tests in a real n8n");
	const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-report-')), 'report.tap');
	const code = await run(process.execPath, [
		'--test',
		'--test-reporter=spec',
		'--test-reporter-destination=stdout',
		'--test-reporter=tap',
		`--test-reporter-destination=${tap}`,
		...nodeTestFiles(),
	]);
	const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
	fs.rmSync(path.dirname(tap), { recursive: true, force: true });
	const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
	const passed = count('pass');
	let failed = count('fail') + count('cancelled');
	if (code !== 0 && failed === 0) failed = 1;
	if (failed > 0) console.error(`\n[e2e] n8n's output of each run: ${workDir('e2e')}/<test>/`);
	return { passed, failed };
}

export function summary(results) {
	const passed = results.reduce((sum, r) => sum + r.passed, 0);
	const failed = results.reduce((sum, r) => sum + r.failed, 0);
	console.log(`\ntests: ${passed} passed, ${failed} failed`);
	return failed === 0 ? 0 : 1;
}
