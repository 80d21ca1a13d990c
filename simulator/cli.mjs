#!/usr/bin/env node
/**
 * Runs the simulator as its own process:
 *   node simulator/cli.mjs [--port N] [--key K] [--window-ms N] [--limit N] [--latency-ms N]
 *                            [--reset-decimals N]
 * Prints one JSON line `{"url": "...", "port": N}` once listening (a parent process waits for
 * it), and closes cleanly on SIGINT/SIGTERM. `--key` may repeat; default key `test-key`.
 */
import { parseArgs } from 'node:util';
import { startSimulator } from './index.mjs';

const { values } = parseArgs({
	options: {
		port: { type: 'string' },
		key: { type: 'string', multiple: true },
		'window-ms': { type: 'string' },
		limit: { type: 'string' },
		'latency-ms': { type: 'string' },
		'reset-decimals': { type: 'string' },
	},
});

function number(name) {
	const raw = values[name];
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (!Number.isFinite(n) || n < 0) {
		console.error(`--${name} must be a non-negative number, got ${raw}`);
		process.exit(2);
	}
	return n;
}

const sim = await startSimulator({
	port: number('port'),
	keys: values.key ? Object.fromEntries(values.key.map((k) => [k, {}])) : undefined,
	rateLimit: { limit: number('limit') ?? 15, windowMs: number('window-ms') ?? 60_000 },
	latencyMs: number('latency-ms') ?? 0,
	resetDecimals: number('reset-decimals') ?? 0,
});
process.stdout.write(`${JSON.stringify({ url: sim.url, port: sim.port })}\n`);

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => sim.close().then(() => process.exit(0)));
}
