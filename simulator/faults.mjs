/**
 * Injected faults. Each fault is `{kind, nth?, identifier?, path?, times?}`; a request takes
 * the first still-armed fault (in order of addition) that matches it, and that fault loses one
 * of its `times`. Matching:
 * - `path` (default `/person/contact/enrich`, `/batch/person/contact/enrich` for batchFail):
 *   the request path equals it or lies under it (`/batch` covers every batch call);
 * - `nth`: the request is the Nth (1-based) request on that path since reset, counting every
 *   request, failed ones included;
 * - `identifier`: the request body lists it (compared lower-cased);
 * - neither: every request on the path, `times` times (default 1, `Infinity` or "Infinity").
 * A fault is only looked up once a request has passed auth, version, validation and the rate
 * limiter: it simulates what goes wrong behind the gateway.
 */
import {
	apiError,
	asObject,
	internalError,
	invalidRequest,
	notFound,
	permissionError,
} from './http.mjs';

export const ENRICH_PATH = '/person/contact/enrich';
export const BATCH_SUBMIT_PATH = '/batch/person/contact/enrich';
const KINDS = new Set(['status', 'delay', 'timeout', 'drop', 'malformed', 'short', 'batchFail']);

/** A checked copy of a fault as given by a test; throws on a fault that cannot work. */
export function normaliseFault(raw) {
	const f = asObject(raw);
	if (!f || !KINDS.has(f.kind)) throw new Error(`Unknown fault kind: ${JSON.stringify(raw?.kind)}`);
	if (f.kind === 'status' && !Number.isInteger(f.status))
		throw new Error('A status fault needs an integer status');
	const times =
		f.times === undefined
			? 1
			: f.times === 'Infinity' || f.times === null
				? Infinity
				: Number(f.times);
	const path = f.path ?? (f.kind === 'batchFail' ? BATCH_SUBMIT_PATH : ENRICH_PATH);
	return { ...f, path, times, remaining: times };
}

export function pathMatches(faultPath, path) {
	return (
		path === faultPath || path.startsWith(faultPath.endsWith('/') ? faultPath : `${faultPath}/`)
	);
}

export class FaultQueue {
	#faults = [];

	/** @param {object|object[]} input one fault or a list */
	add(input) {
		const added = [input].flat().map(normaliseFault);
		this.#faults.push(...added);
		return added.length;
	}

	clear() {
		this.#faults.length = 0;
	}

	list() {
		return this.#faults.map((f) => ({ ...f }));
	}

	/**
	 * Consumes and returns the fault for this request, or null.
	 * @param {string} path request path
	 * @param {unknown[]|null} identifiers identifiers in the request body
	 * @param {(faultPath: string) => number} positionOn this request's 1-based position among requests on faultPath
	 */
	take(path, identifiers, positionOn) {
		const ids = (identifiers ?? [])
			.filter((s) => typeof s === 'string')
			.map((s) => s.toLowerCase());
		const i = this.#faults.findIndex(
			(f) =>
				pathMatches(f.path, path) &&
				(f.identifier === undefined || ids.includes(String(f.identifier).toLowerCase())) &&
				(f.nth === undefined || positionOn(f.path) === f.nth),
		);
		if (i < 0) return null;
		const fault = this.#faults[i];
		if (--fault.remaining <= 0) this.#faults.splice(i, 1);
		return fault;
	}
}

function defaultStatusBody(status) {
	if (status === 429) return undefined; // the gateway's 429 has no body, as the docs warn
	if (status === 401) return { message: 'Invalid API key in request' };
	if (status === 402)
		return apiError('insufficient_credits', 'Insufficient credits to complete this request.');
	if (status === 403) return permissionError();
	if (status === 404) return notFound('No records found for the given identifiers');
	if (status === 400) return invalidRequest('Invalid request');
	if (status >= 500) return internalError();
	return apiError('error', `Simulated HTTP ${status}`);
}

function statusHeaders(fault) {
	const custom = Object.fromEntries(
		Object.entries(fault.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
	);
	if (fault.status !== 429) return custom;
	const seconds = String(fault.resetSeconds ?? 1);
	return {
		'x-ratelimit-remaining': '0',
		'x-ratelimit-reset': seconds,
		'retry-after': seconds,
		...custom,
	};
}

/**
 * Applies the response-level part of a fault. Returns true when the fault has answered (or
 * deliberately not answered) the request; false when the route should go on (no fault, a
 * delay that has elapsed, or a kind the route handles itself: short, batchFail).
 */
export async function applyResponseFault(ctx, fault) {
	if (!fault) return false;
	ctx.entry.fault = fault.kind;
	switch (fault.kind) {
		case 'delay':
			await ctx.sleep(fault.ms ?? 1000);
			return false;
		case 'drop':
			ctx.res.socket?.destroy();
			return true;
		case 'timeout':
			ctx.hold();
			return true;
		case 'malformed':
			await ctx.reply(200, '[{"matched_on": ', {
				'content-type': 'application/json',
				'x-credits-used': '0',
			});
			return true;
		case 'status': {
			const body = 'body' in fault ? fault.body : defaultStatusBody(fault.status);
			await ctx.reply(fault.status, body, statusHeaders(fault));
			return true;
		}
		default:
			return false;
	}
}
