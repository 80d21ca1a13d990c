/**
 * Sliding-window rate limiter per API key, as the contract describes `/person/contact/enrich`:
 * a request is admitted when fewer than `limit` admitted requests happened in the last
 * `windowMs`; the window slides, it never resets on the minute. Rejected requests do not enter
 * the window, so a client hammering a full window does not push its own reset further out
 * (they are kept apart, for maxAttemptsInWindow).
 */

/**
 * How `x-ratelimit-reset` and `retry-after` are written. The contract documents seconds to
 * wait; the others are spellings a client must survive (see its "headers are input too").
 */
export const RESET_FORMATS = ['seconds', 'epochSeconds', 'epochMs', 'ms', 'absurd'];

/** Neither a wait nor a plausible epoch, in seconds or in milliseconds (year 33658). */
export const ABSURD_RESET = '999999999999999';

export function checkResetFormat(format) {
	if (!RESET_FORMATS.includes(format))
		throw new Error(
			`resetFormat must be one of ${RESET_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
		);
	return format;
}

/** Seconds as the API prints them: ceil to `decimals` decimals, so waiting that long is enough. */
export function formatSeconds(ms, decimals = 0) {
	const scale = 10 ** decimals;
	const value = Math.ceil((ms * scale) / 1000) / scale;
	return decimals > 0 ? value.toFixed(decimals) : String(value);
}

/**
 * A wait of `ms` written in `format`: seconds to wait (with `decimals`), the epoch time it ends
 * (seconds or milliseconds, rounded up), milliseconds to wait, or the absurd constant.
 */
export function formatReset(ms, format = 'seconds', { decimals = 0, now = Date.now() } = {}) {
	switch (format) {
		case 'epochSeconds':
			return String(Math.ceil((now + ms) / 1000));
		case 'epochMs':
			return String(Math.ceil(now + ms));
		case 'ms':
			return String(Math.ceil(ms));
		case 'absurd':
			return ABSURD_RESET;
		default:
			return formatSeconds(ms, decimals);
	}
}

/** The most timestamps of a sorted list that fit in one window (t_last - t_first < windowMs). */
function maxInWindow(times, windowMs) {
	let best = 0;
	for (let first = 0, last = 0; last < times.length; last++) {
		while (times[last] - times[first] >= windowMs) first++;
		best = Math.max(best, last - first + 1);
	}
	return best;
}

export class SlidingWindowLimiter {
	/**
	 * @param {object} options
	 * @param {number} [options.limit] @default 15
	 * @param {number} [options.windowMs] @default 60000
	 * @param {number} [options.resetDecimals] decimals of the reset seconds @default 0 (ceil)
	 * @param {'seconds'|'epochSeconds'|'epochMs'|'ms'|'absurd'} [options.resetFormat] @default 'seconds'
	 * @param {() => number} [now] clock, injectable for tests @default Date.now
	 */
	constructor(
		{ limit = 15, windowMs = 60_000, resetDecimals = 0, resetFormat = 'seconds' } = {},
		now = Date.now,
	) {
		this.limit = limit;
		this.windowMs = windowMs;
		this.resetDecimals = resetDecimals;
		this.resetFormat = checkResetFormat(resetFormat);
		this.now = now;
		/** @type {Map<string, number[]>} admitted timestamps per key, oldest first */
		this.hits = new Map();
		// Never pruned (until clear), so a test can ask afterwards how full any window got.
		/** @type {Map<string, number[]>} every admitted request per key */
		this.admitted = new Map();
		/** @type {Map<string, number[]>} every request that reached the limiter, refused ones too */
		this.attempts = new Map();
	}

	#recent(key, now) {
		const cutoff = now - this.windowMs;
		const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
		this.hits.set(key, list);
		return list;
	}

	/** Records the request and returns its slot, or null when the window is full. */
	admit(key) {
		const slot = this.now();
		const list = this.#recent(key, slot);
		historyOf(this.attempts, key).push(slot);
		if (list.length >= this.limit) return null;
		list.push(slot);
		historyOf(this.admitted, key).push(slot);
		return slot;
	}

	/** Forgets an admitted slot (a simulated 429 must not count, like a real one). */
	release(key, slot) {
		for (const list of [this.hits.get(key) ?? [], this.admitted.get(key) ?? []]) {
			const i = list.lastIndexOf(slot);
			if (i >= 0) list.splice(i, 1);
		}
	}

	/** Seconds as the API prints them: ceil to `resetDecimals` decimals, so waiting that long is enough. */
	formatSeconds(ms) {
		return formatSeconds(ms, this.resetDecimals);
	}

	/** The most requests admitted within one window since clear(), for one key or the fullest key. */
	maxAdmittedInWindow(key) {
		return this.#maxOver(this.admitted, key);
	}

	/** The same counting refused requests too: above `limit` means a client ignored the headers. */
	maxAttemptsInWindow(key) {
		return this.#maxOver(this.attempts, key);
	}

	#maxOver(histories, key) {
		const lists = key === undefined ? [...histories.values()] : [histories.get(key) ?? []];
		return Math.max(0, ...lists.map((times) => maxInWindow(times, this.windowMs)));
	}

	/** The `x-ratelimit-*` headers for this key right now (no side effect). */
	headers(key) {
		// One reading of the clock: two could straddle a millisecond and move an epoch end by 1.
		const now = this.now();
		const list = this.#recent(key, now);
		const resetMs = list.length ? list[0] + this.windowMs - now : this.windowMs;
		return {
			'x-ratelimit-limit': String(this.limit),
			'x-ratelimit-remaining': String(Math.max(0, this.limit - list.length)),
			'x-ratelimit-reset': formatReset(resetMs, this.resetFormat, {
				decimals: this.resetDecimals,
				now,
			}),
		};
	}

	/** Headers of a real 429: the usual three plus `retry-after` equal to the reset. */
	rejectHeaders(key) {
		const h = this.headers(key);
		return { ...h, 'retry-after': h['x-ratelimit-reset'] };
	}

	clear() {
		this.hits.clear();
		this.admitted.clear();
		this.attempts.clear();
	}
}

function historyOf(histories, key) {
	if (!histories.has(key)) histories.set(key, []);
	return histories.get(key);
}
