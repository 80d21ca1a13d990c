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
import { checkResetFormat, formatReset } from './rateLimit.mjs';
import { SPELLINGS } from './respell.mjs';

export const ENRICH_PATH = '/person/contact/enrich';
export const BATCH_SUBMIT_PATH = '/batch/person/contact/enrich';
const KINDS = new Set([
	'status',
	'delay',
	'timeout',
	'drop',
	'malformed',
	'short',
	'reorder',
	'respell',
	'batchFail',
	'billThenDelay',
	'billThenDrop',
]);

/**
 * Throws on fields that cannot work, so a typo fails at addFault. Only the newer fields and
 * kinds are checked: what the older kinds accepted (a `ms` or `drop` as a numeric string) still
 * works.
 */
function checkFields(f) {
	if (f.kind === 'status' && !Number.isInteger(f.status))
		throw new Error('A status fault needs an integer status');
	if (f.resetFormat !== undefined) checkResetFormat(f.resetFormat);
	const newer = ['reorder', 'respell', 'billThenDelay', 'billThenDrop'].includes(f.kind);
	if (newer && f.drop !== undefined && !(Number.isInteger(f.drop) && f.drop >= 0))
		throw new Error('drop must be a non-negative integer');
	if (
		f.order !== undefined &&
		!(
			Array.isArray(f.order) &&
			f.order.every((i) => Number.isInteger(i) && i >= 0) &&
			new Set(f.order).size === f.order.length
		)
	)
		throw new Error('order must be a list of distinct non-negative integers (entry indexes)');
	if (f.spelling !== undefined && !SPELLINGS.includes(f.spelling))
		throw new Error(`spelling must be one of ${SPELLINGS.join(', ')}`);
	if (newer && f.ms !== undefined && f.ms !== null && !(Number.isFinite(f.ms) && f.ms >= 0))
		throw new Error('ms must be a non-negative number');
}

/** A checked copy of a fault as given by a test; throws on a fault that cannot work. */
export function normaliseFault(raw) {
	const f = asObject(raw);
	if (!f || !KINDS.has(f.kind)) throw new Error(`Unknown fault kind: ${JSON.stringify(raw?.kind)}`);
	checkFields(f);
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

/**
 * A 429's reset headers say `resetSeconds` (default 1) in the fault's `resetFormat`, else the
 * simulator's; in seconds it is printed as given, as it always was.
 */
function statusHeaders(fault, simulatorFormat = 'seconds') {
	const custom = Object.fromEntries(
		Object.entries(fault.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
	);
	if (fault.status !== 429) return custom;
	const seconds = fault.resetSeconds ?? 1;
	const format = fault.resetFormat ?? simulatorFormat;
	const reset = format === 'seconds' ? String(seconds) : formatReset(seconds * 1000, format);
	return {
		'x-ratelimit-remaining': '0',
		'x-ratelimit-reset': reset,
		'retry-after': reset,
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
			await ctx.reply(fault.status, body, statusHeaders(fault, ctx.state.limiter.resetFormat));
			return true;
		}
		default:
			return false;
	}
}

/**
 * The second half of billThenDelay and billThenDrop, once the route has done the work and
 * charged for it (or, on a batch submit, created the job): a 200 that comes `ms` late, or
 * never (no `ms`), or a socket destroyed instead. True when the request must not be answered
 * now; false when the route should answer (no such fault, or the delay has elapsed).
 */
export async function applyBilledFault(ctx, fault) {
	switch (fault?.kind) {
		case 'billThenDelay':
			if (fault.ms === undefined || fault.ms === null) {
				ctx.hold();
				return true;
			}
			await ctx.sleep(fault.ms);
			return false;
		case 'billThenDrop':
			ctx.res.socket?.destroy();
			return true;
		default:
			return false;
	}
}
