// Redis for n8n's queue mode (the queue-mode test): Debian's redis-server, installed with apt-get
// when missing, started on a free port of 127.0.0.1 without persistence.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort } from './n8n-host.mjs';
import { logTail, startProcess, stopProcess, waitUntil } from './n8n-process.mjs';

function which(command) {
	return (
		spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() ||
		undefined
	);
}

/** Debian's redis-server, installed with apt-get (as root, or through sudo) when missing. */
export function ensureRedis({ log = (line) => console.log(line) } = {}) {
	const found = which('redis-server');
	if (found) return found;
	const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
	log('[queue] redis-server is missing: apt-get install -y redis-server');
	for (const args of [
		['apt-get', 'update'],
		['apt-get', 'install', '-y', 'redis-server'],
	]) {
		const [command, ...rest] = [...sudo, ...args];
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		const result = spawnSync(command, rest, { stdio: 'inherit', env });
		if (result.status !== 0) {
			throw new Error(
				`${args.join(' ')} failed (exit ${result.status}); install redis-server and run again`,
			);
		}
	}
	const installed = which('redis-server');
	if (!installed) throw new Error('redis-server is still missing after apt-get install');
	return installed;
}

/**
 * redis-server on a free port of 127.0.0.1 with no RDB snapshots and no AOF, its files and log
 * in `dir`. Resolves { proc, port } once it accepts connections; stop it with stopProcess.
 */
export async function startRedis(dir, { log = (line) => console.log(line) } = {}) {
	const server = ensureRedis({ log });
	const port = await freePort();
	const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
	const proc = startProcess('redis', server, [...args, '--dir', dir, '--daemonize', 'no'], {
		cwd: dir,
		env: process.env,
		logFile: path.join(dir, 'redis.log'),
	});
	try {
		await waitUntil('Redis', async () => /Ready to accept connections/.test(logTail(proc)), {
			proc,
			timeoutMs: 20_000,
		});
	} catch (error) {
		await stopProcess(proc);
		throw error;
	}
	log(`[queue] redis-server pid ${proc.pid} on 127.0.0.1:${port}`);
	return { proc, port };
}
