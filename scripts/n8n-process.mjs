// Long-running processes (`n8n start`, `n8n worker`, redis-server) and the HTTP calls that tell
// when a running n8n can be used: shared by `npm start` (scripts/start.mjs), the screenshots
// script (scripts/screenshots.mjs) and the queue-mode test (test/queue/).
//
// Every process starts in its own process group (n8n starts its task runner as a child), so
// stopping one ends exactly what it started, by its pid; nothing here matches processes by name.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { n8nEnv } from './n8n-host.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawn a long-running process in its own process group. With `logFile` its output goes to that
 * file (read it with logTail); otherwise `stdio` applies (default: shown in this terminal).
 * Returns a handle: { name, child, pid, logFile, exit, exited } where `exit` is set to
 * { code, signal } once the process ended and `exited` resolves with it.
 */
export function startProcess(name, command, args, { cwd, env, logFile, stdio } = {}) {
	const out = logFile === undefined ? undefined : fs.openSync(logFile, 'w');
	const child = spawn(command, args, {
		cwd,
		env,
		detached: true,
		stdio: out === undefined ? (stdio ?? ['ignore', 'inherit', 'inherit']) : ['ignore', out, out],
	});
	if (out !== undefined) fs.closeSync(out);
	const proc = { name, child, pid: child.pid, logFile, exit: undefined };
	proc.exited = new Promise((resolve) => {
		const ended = (exit) => {
			proc.exit ??= exit;
			resolve(proc.exit);
		};
		child.once('exit', (code, signal) => ended({ code, signal }));
		// A command that cannot start (ENOENT) emits 'error' and no 'exit'.
		child.once('error', (error) => ended({ code: null, signal: null, error: error.message }));
	});
	return proc;
}

/** `n8n <args>` (start, worker) under the host's Node 24, in the context's user folder. */
export function startN8n(
	host,
	ctx,
	args,
	{ name = `n8n ${args[0]}`, env = {}, logFile, stdio } = {},
) {
	return startProcess(name, host.node, [host.n8n, ...args], {
		cwd: ctx.userFolder,
		env: n8nEnv(host, ctx, env),
		logFile,
		stdio,
	});
}

/** The last `chars` characters of a process's log file ('' when it has none). */
export function logTail(proc, chars = 3000) {
	if (!proc?.logFile) return '';
	try {
		return fs.readFileSync(proc.logFile, 'utf8').slice(-chars);
	} catch {
		return '';
	}
}

function outputOf(proc) {
	return proc.logFile ? `:\n${logTail(proc)}` : ' (see its output above)';
}

/**
 * Poll `check` (an async predicate; a throw counts as false) every `intervalMs` until it holds.
 * Fails at once when `proc` exits first, and after `timeoutMs`; `hint` ends the time-out's
 * message. `onWait(attempt)` is called after each failed check.
 */
export async function waitUntil(what, check, options = {}) {
	const { proc, timeoutMs = 120_000, intervalMs = 250, onWait, hint } = options;
	const deadline = Date.now() + timeoutMs;
	for (let attempt = 0; ; attempt++) {
		if (proc?.exit) {
			throw new Error(
				`${proc.name} exited (${JSON.stringify(proc.exit)}) before ${what}${outputOf(proc)}`,
			);
		}
		if (await check().catch(() => false)) return;
		if (Date.now() > deadline) {
			const because = hint ? `: ${hint}` : '';
			throw new Error(
				`timed out after ${timeoutMs / 1000} s waiting for ${what}${because}${proc ? outputOf(proc) : ''}`,
			);
		}
		onWait?.(attempt);
		await sleep(intervalMs);
	}
}

/**
 * Whether n8n is ready. /healthz answers as soon as n8n listens; until its database is migrated
 * every other path answers 200 "n8n is starting up", and the REST routes come later still.
 * /healthz/readiness says 200 only when all of that is done: the only signal to trust.
 */
export async function isReady(url) {
	try {
		return (await fetch(`${url}/healthz/readiness`)).ok;
	} catch {
		return false; // not listening yet
	}
}

/** Wait until n8n at `url` is ready (see isReady); options as for waitUntil, polling each second. */
export function waitForReadiness(url, { timeoutMs = 180_000, intervalMs = 1000, ...options } = {}) {
	return waitUntil(`n8n to be ready at ${url}/healthz/readiness`, () => isReady(url), {
		timeoutMs,
		intervalMs,
		...options,
	});
}

/** An HTTP answer as the owner helpers read it: { ok, status, text, json } (json when it is JSON). */
export function jsonAnswer(status, contentType, text) {
	const json = (contentType ?? '').includes('json') ? JSON.parse(text) : undefined;
	return { ok: status >= 200 && status < 300, status, text, json };
}

/** POST a JSON body with fetch; resolves with jsonAnswer(). */
export async function postJson(url, body) {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return jsonAnswer(res.status, res.headers.get('content-type'), await res.text());
}

/**
 * n8n 2.x has no way to skip the owner account: set one up ({ email, firstName, lastName,
 * password }). Resolves 'created' on a JSON answer with `data`, 'exists' when n8n answers that
 * the instance owner is already set up; anything else throws. `post` defaults to postJson (a
 * browser passes its own, to keep the cookies).
 */
export async function setUpOwner(url, owner, { post = postJson } = {}) {
	const setup = await post(`${url}/rest/owner/setup`, owner);
	if (setup.ok && setup.json?.data) return 'created';
	if (/instance owner already set ?up/i.test(setup.text)) return 'exists';
	throw new Error(
		`setting up the owner ${owner.email} failed (${setup.status}): ${setup.text.slice(0, 300)}`,
	);
}

/** Sign in as `owner`; throws (with `hint` on its own line) unless n8n answers with `data`. */
export async function checkLogin(url, owner, { post = postJson, hint } = {}) {
	const login = await post(`${url}/rest/login`, {
		emailOrLdapLoginId: owner.email,
		password: owner.password,
	});
	if (login.ok && login.json?.data) return login;
	throw new Error(
		`signing in as ${owner.email} failed (${login.status}): ${login.text.slice(0, 300)}${hint ? `\n${hint}` : ''}`,
	);
}

function killGroup(proc, signal) {
	try {
		process.kill(-proc.pid, signal);
	} catch {
		// already gone
	}
}

/**
 * End a process started by startProcess: SIGTERM to its process group, SIGKILL after `graceMs`,
 * then SIGKILL to the group once more (n8n's task runner may outlive n8n in the same group).
 */
export async function stopProcess(proc, { graceMs = 15_000 } = {}) {
	if (!proc.exit) {
		killGroup(proc, 'SIGTERM');
		const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), graceMs);
		await proc.exited;
		clearTimeout(timer);
	}
	killGroup(proc, 'SIGKILL');
}

/** Stop several processes at once, the last started first in the list. */
export function stopProcesses(procs, options) {
	return Promise.all([...procs].reverse().map((proc) => stopProcess(proc, options)));
}
