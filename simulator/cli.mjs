#!/usr/bin/env node
/**
 * Runs the simulator as its own process:
 *   node simulator/cli.mjs [--port N] [--key K] [--window-ms N] [--limit N] [--latency-ms N]
 *                            [--reset-decimals N] [--reset-format F] [--credits-shape S]
 *                            [--batch-pending-ms N] [--batch-processing-ms N]
 *                            [--batch-duration-ms MIN[,MAX]] [--batch-seed S] [--batch-max-active N]
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
		'reset-format': { type: 'string' },
		'credits-shape': { type: 'string' },
		'batch-pending-ms': { type: 'string' },
		'batch-processing-ms': { type: 'string' },
		'batch-duration-ms': { type: 'string' },
		'batch-seed': { type: 'string' },
		'batch-max-active': { type: 'string' },
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

/** `--batch-duration-ms 1200,1800` → [1200, 1800]; one number → that fixed duration. */
function durationRange() {
	const raw = values['batch-duration-ms'];
	if (raw === undefined) return undefined;
	const parts = raw.split(',').map(Number);
	if (parts.length > 2 || !parts.every((n) => Number.isInteger(n) && n >= 0)) {
		console.error(`--batch-duration-ms must be MIN or MIN,MAX in whole ms, got ${raw}`);
		process.exit(2);
	}
	return parts.length === 2 ? parts : parts[0];
}

const sim = await startSimulator({
	port: number('port'),
	keys: values.key ? Object.fromEntries(values.key.map((k) => [k, {}])) : undefined,
	rateLimit: { limit: number('limit') ?? 15, windowMs: number('window-ms') ?? 60_000 },
	latencyMs: number('latency-ms') ?? 0,
	resetDecimals: number('reset-decimals') ?? 0,
	resetFormat: values['reset-format'],
	creditsShape: values['credits-shape'],
	batch: {
		pendingMs: number('batch-pending-ms'),
		processingMs: number('batch-processing-ms'),
		durationMs: durationRange(),
		seed: values['batch-seed'],
		maxActive: number('batch-max-active'),
	},
}).catch((error) => {
	// A bad --reset-format, --credits-shape or duration: say which, without a stack trace.
	console.error(error.message);
	process.exit(2);
});
process.stdout.write(`${JSON.stringify({ url: sim.url, port: sim.port })}\n`);

for (const signal of ['SIGINT', 'SIGTERM']) {
	process.once(signal, () => sim.close().then(() => process.exit(0)));
}
