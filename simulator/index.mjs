/**
 * A local simulator of the Crustdata API as /work/shared/crustdata-api.md describes it, for
 * end-to-end tests, the benchmark and the `npm start` demo. Node built-ins only.
 * This file: the server, the request log, auth and version checks, routing, and charging
 * completed batch jobs.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { BatchStore } from './batch.mjs';
import { BillingLedger } from './billing.mjs';
import { handleControl } from './control.mjs';
import { handleEnrich } from './enrich.mjs';
import { BATCH_SUBMIT_PATH, ENRICH_PATH, FaultQueue, pathMatches } from './faults.mjs';
import { internalError, invalidRequest } from './http.mjs';
import { checkResetFormat, SlidingWindowLimiter } from './rateLimit.mjs';
import {
	checkCreditsShape,
	downloadFile,
	getBatch,
	getCredits,
	getEndpoints,
	listBatches,
	submitBatch,
} from './routes.mjs';

export const API_VERSION = '2025-11-01';

/** Keys are logged masked: the first two characters (fewer for tiny keys) and `***`. */
export function maskKey(key) {
	return `${key.slice(0, Math.min(2, key.length - 1))}***`;
}

function accountOf(settings = {}) {
	const { contactAccess = true, credits, recurringCredits = 0 } = settings ?? {};
	const unlimited = credits === undefined || credits === null || credits === 'Infinity';
	return {
		contactAccess,
		credits: unlimited ? Infinity : Number(credits),
		recurringCredits: Number(recurringCredits),
	};
}

/**
 * Charges the batch jobs that completed since the last look. Job status follows the clock,
 * so billing does too: called before every API request and every question about credits.
 * A completion never runs a balance negative; an exhausted account is charged what is left.
 */
function settleBatches(state) {
	for (const job of state.batches.takeCompleted()) {
		const account = state.keys.get(job.key);
		const left = account ? Math.max(0, account.credits) : Infinity;
		const credits = Math.min(job.price, left);
		if (account) account.credits -= credits;
		job.charged = credits;
		state.billing.charge(job.key, {
			at: job.createdAt + job.pendingMs + job.processingMs,
			kind: 'batch',
			key: maskKey(job.key),
			requestId: job.requestId,
			batchId: job.id,
			credits,
			matched: job.matched,
		});
	}
}

/** A sleep whose pending timers close() can cancel, so nothing outlives the server. */
function cancellableSleep() {
	const timers = new Set();
	const sleep = (ms) =>
		ms > 0
			? new Promise((resolve) => {
					const t = setTimeout(() => {
						timers.delete(t);
						resolve();
					}, ms);
					timers.add(t);
				})
			: Promise.resolve();
	sleep.cancelAll = () => {
		timers.forEach(clearTimeout);
		timers.clear();
	};
	return sleep;
}

/** Writes one API response; enrich responses also carry the rate-limit headers. */
async function reply(ctx, status, body, headers = {}) {
	if (ctx.slow) await ctx.sleep(ctx.state.options.latencyMs);
	const { res, entry } = ctx;
	if (res.headersSent || res.destroyed) return;
	const out = { 'x-request-id': entry.requestId, ...(ctx.rateHeaders?.() ?? {}), ...headers };
	let payload = '';
	if (body !== undefined && body !== null) {
		payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
		out['content-type'] ??= 'application/json';
	}
	out['content-length'] = String(Buffer.byteLength(payload));
	entry.status = status;
	res.writeHead(status, out).end(payload);
}

/** Logs the request on arrival and bundles what the routes need. */
function createContext(state, req, res, url) {
	const apiKey = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
	const entry = {
		seq: ++state.seq,
		at: Date.now(),
		method: req.method,
		path: url.pathname,
		status: null,
		key: apiKey && maskKey(apiKey),
		apiVersion: req.headers['x-api-version'] ?? null,
		identifierKey: null,
		identifiers: null,
		fields: null,
		verified: null,
		creditsUsed: 0,
		billed: false, // processed and charged `creditsUsed` (maybe 0), answered or not
		batchId: null, // on a batch submit that created a job
		fault: null,
		requestId: randomUUID(),
	};
	state.log.push(entry);
	const position = (faultPath) =>
		state.log.filter((e) => e.seq <= entry.seq && pathMatches(faultPath, e.path)).length;
	const ctx = {
		state,
		req,
		res,
		entry,
		apiKey,
		account: null,
		rateHeaders: null,
		query: url.searchParams,
		slow: url.pathname === ENRICH_PATH || pathMatches('/batch', url.pathname),
		sleep: state.sleep,
		reply: (status, body, headers) => reply(ctx, status, body, headers),
		takeFault: (identifiers) => state.faults.take(entry.path, identifiers, position),
		hold: () => {}, // the socket stays open until the client gives up or close() destroys it
		/** Records a charge in the log entry and the ledger, before any answer is attempted. */
		bill(credits, matched) {
			entry.billed = true;
			entry.creditsUsed = credits;
			state.billing.charge(apiKey, {
				at: Date.now(),
				kind: 'enrich',
				key: entry.key,
				requestId: entry.requestId,
				seq: entry.seq,
				credits,
				matched,
			});
		},
	};
	return ctx;
}

function route(ctx) {
	const { method, path } = ctx.entry;
	if (method === 'POST' && path === ENRICH_PATH) return handleEnrich(ctx);
	if (method === 'POST' && path === BATCH_SUBMIT_PATH) return submitBatch(ctx);
	if (method === 'GET' && path === '/account/credits') return getCredits(ctx);
	if (method === 'GET' && path === '/account/endpoints') return getEndpoints(ctx);
	if (method === 'GET' && path === '/batch') return listBatches(ctx);
	const job = /^\/batch\/([^/]+)$/.exec(path);
	if (method === 'GET' && job) return getBatch(ctx, job[1]);
	// A path the API does not have answers as a gateway or proxy does, not with the API's own JSON
	// error: a client must not mistake a wrong Base URL for "nobody matched".
	const page = `<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>${method} ${path}</p></body></html>`;
	return ctx.reply(404, page, { 'content-type': 'text/html' });
}

async function handle(state, req, res) {
	const url = new URL(req.url, 'http://127.0.0.1');
	if (url.pathname.startsWith('/__sim/')) return handleControl(state.sim, req, res, url.pathname);
	settleBatches(state);
	const ctx = createContext(state, req, res, url);
	const file = /^\/__files\/([0-9a-f]+)\.jsonl\.gz$/.exec(url.pathname);
	if (file || url.pathname.startsWith('/__files/')) return downloadFile(ctx, file?.[1] ?? '');
	// The gateway answers 401 in its own shape, before anything else.
	if (!ctx.apiKey) return ctx.reply(401, { message: 'Missing API key in request' });
	ctx.account = state.keys.get(ctx.apiKey);
	if (!ctx.account) return ctx.reply(401, { message: 'Invalid API key in request' });
	if (url.pathname === ENRICH_PATH) ctx.rateHeaders = () => state.limiter.headers(ctx.apiKey);
	const version = req.headers['x-api-version'];
	if (version === undefined)
		return ctx.reply(400, invalidRequest('Missing required header: x-api-version'));
	if (version !== API_VERSION) {
		return ctx.reply(
			400,
			invalidRequest(
				`Unsupported value for required header x-api-version: ${version} (expected ${API_VERSION})`,
			),
		);
	}
	return route(ctx);
}

/**
 * @typedef {object} SimulatorOptions
 * @property {number} [port] @default 0 (a free port)
 * @property {Record<string, {contactAccess?: boolean, credits?: number}>} [keys] API keys;
 *   `contactAccess: false` → 403, `credits` (default Infinity) spent per request, 0 → 402.
 *   @default { 'test-key': {} }
 * @property {{limit?: number, windowMs?: number}} [rateLimit] sliding window per key on
 *   /person/contact/enrich. @default { limit: 15, windowMs: 60000 }
 * @property {number} [resetDecimals] decimals of x-ratelimit-reset and retry-after. @default 0 (ceil)
 * @property {'seconds'|'epochSeconds'|'epochMs'|'ms'|'absurd'} [resetFormat] how x-ratelimit-reset
 *   and retry-after are written (also sim.setResetFormat). @default 'seconds' (seconds to wait)
 * @property {'flat'|'account'} [creditsShape] GET /account/credits as `{credits}` or the
 *   documented `{account: {credits, recurring_credits}}` (also sim.setCreditsShape). @default 'flat'
 * @property {number} [latencyMs] added to every enrich and batch response. @default 0
 * @property {boolean} [rateLimitBody] give the 429 a JSON body. @default false (empty, as the docs warn)
 * @property {{pendingMs?: number, processingMs?: number, durationMs?: number|[number, number],
 *   seed?: string, maxActive?: number, layout?: 'envelope'|'flat'}} [batch] `durationMs` draws each
 *   job's total time uniformly from [min, max] (seeded by `seed` and the job's number), split in
 *   the pendingMs:processingMs ratio.
 *   @default { pendingMs: 2000, processingMs: 5000, maxActive: 5, layout: 'envelope' }
 */

/**
 * Starts a simulator on 127.0.0.1 (see simulator/README.md).
 * @param {SimulatorOptions} [options]
 */
export async function startSimulator(options = {}) {
	const state = {
		options: {
			latencyMs: 0,
			rateLimitBody: false,
			...options,
			creditsShape: checkCreditsShape(options.creditsShape ?? 'flat'),
		},
		url: '',
		seq: 0,
		log: [],
		keys: new Map(),
		faults: new FaultQueue(),
		limiter: new SlidingWindowLimiter({
			...options.rateLimit,
			resetDecimals: options.resetDecimals ?? 0,
			resetFormat: options.resetFormat ?? 'seconds',
		}),
		batches: new BatchStore(options.batch),
		billing: new BillingLedger(),
		sockets: new Set(),
		sleep: cancellableSleep(),
	};
	for (const [key, settings] of Object.entries(options.keys ?? { 'test-key': {} }))
		state.keys.set(key, accountOf(settings));

	const server = http.createServer((req, res) =>
		handle(state, req, res).catch((error) => {
			console.error('[simulator] unexpected error:', error);
			if (!res.headersSent)
				res
					.writeHead(500, { 'content-type': 'application/json' })
					.end(JSON.stringify(internalError()));
		}),
	);
	server.on('connection', (socket) => {
		state.sockets.add(socket);
		socket.on('close', () => state.sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const { port } = server.address();
	state.url = `http://127.0.0.1:${port}`;

	state.sim = {
		url: state.url,
		port,
		log: state.log,
		enrichLog: () => state.log.filter((e) => e.method === 'POST' && e.path === ENRICH_PATH),
		setKey: (key, settings) => void state.keys.set(key, accountOf(settings)),
		revokeKey: (key) => void state.keys.delete(key),
		/** Remaining credits of a key (Infinity when unlimited), or undefined for an unknown key. */
		credits(key) {
			settleBatches(state);
			return state.keys.get(key)?.credits;
		},
		addFault: (fault) => state.faults.add(fault),
		clearFaults: () => state.faults.clear(),
		faults: () => state.faults.list(),
		/** Every charge since reset (of one raw key, or all), oldest first; see billing.mjs. */
		billing(key) {
			settleBatches(state);
			return state.billing.records(key);
		},
		/** Credits charged since reset, enrich and batch (to one raw key, or in all). */
		creditsCharged(key) {
			settleBatches(state);
			return state.billing.total(key);
		},
		/** Batch jobs since reset (of one raw key, or all), oldest first, with their timings. */
		batchJobs(key) {
			settleBatches(state);
			return state.batches.jobs
				.filter((j) => key === undefined || j.key === key)
				.map((j) => state.batches.summary(j));
		},
		/** The most batch jobs one key had pending or processing at once since reset. */
		maxActiveJobsSeen: (key) => state.batches.maxActiveSeen(key),
		/** The most enrich requests the limiter admitted within one window since reset. */
		maxRequestsInWindow: (key) => state.limiter.maxAdmittedInWindow(key),
		/** The same, counting the requests it refused with 429 too. */
		maxAttemptsInWindow: (key) => state.limiter.maxAttemptsInWindow(key),
		setResetFormat(format) {
			state.limiter.resetFormat = checkResetFormat(format);
		},
		setCreditsShape(shape) {
			state.options.creditsShape = checkCreditsShape(shape);
		},
		reset() {
			state.log.length = 0; // the same array: callers may hold `sim.log`
			state.seq = 0;
			state.faults.clear();
			state.limiter.clear();
			state.batches.clear();
			state.billing.clear();
		},
		async close() {
			state.sleep.cancelAll();
			const closed = new Promise((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			state.sockets.forEach((socket) => socket.destroy()); // held (timeout) sockets too
			await closed;
		},
	};
	return state.sim;
}
