/**
 * Sliding-window rate limiter per API key, as the contract describes `/person/contact/enrich`:
 * a request is admitted when fewer than `limit` admitted requests happened in the last
 * `windowMs`; the window slides, it never resets on the minute. Rejected requests are not
 * recorded, so a client hammering a full window does not push its own reset further out.
 */
export class SlidingWindowLimiter {
	/**
	 * @param {object} options
	 * @param {number} [options.limit] @default 15
	 * @param {number} [options.windowMs] @default 60000
	 * @param {number} [options.resetDecimals] decimals of the reset seconds @default 0 (ceil)
	 * @param {() => number} [now] clock, injectable for tests @default Date.now
	 */
	constructor({ limit = 15, windowMs = 60_000, resetDecimals = 0 } = {}, now = Date.now) {
		this.limit = limit;
		this.windowMs = windowMs;
		this.resetDecimals = resetDecimals;
		this.now = now;
		/** @type {Map<string, number[]>} admitted timestamps per key, oldest first */
		this.hits = new Map();
	}

	#recent(key) {
		const cutoff = this.now() - this.windowMs;
		const list = (this.hits.get(key) ?? []).filter((t) => t > cutoff);
		this.hits.set(key, list);
		return list;
	}

	/** Records the request and returns its slot, or null when the window is full. */
	admit(key) {
		const list = this.#recent(key);
		if (list.length >= this.limit) return null;
		const slot = this.now();
		list.push(slot);
		return slot;
	}

	/** Forgets an admitted slot (a simulated 429 must not count, like a real one). */
	release(key, slot) {
		const list = this.hits.get(key) ?? [];
		const i = list.indexOf(slot);
		if (i >= 0) list.splice(i, 1);
	}

	/** Seconds as the API prints them: ceil to `resetDecimals` decimals, so waiting that long is enough. */
	formatSeconds(ms) {
		const scale = 10 ** this.resetDecimals;
		const value = Math.ceil((ms * scale) / 1000) / scale;
		return this.resetDecimals > 0 ? value.toFixed(this.resetDecimals) : String(value);
	}

	/** The `x-ratelimit-*` headers for this key right now (no side effect). */
	headers(key) {
		const list = this.#recent(key);
		const resetMs = list.length ? list[0] + this.windowMs - this.now() : this.windowMs;
		return {
			'x-ratelimit-limit': String(this.limit),
			'x-ratelimit-remaining': String(Math.max(0, this.limit - list.length)),
			'x-ratelimit-reset': this.formatSeconds(resetMs),
		};
	}

	/** Headers of a real 429: the usual three plus `retry-after` equal to the reset. */
	rejectHeaders(key) {
		const h = this.headers(key);
		return { ...h, 'retry-after': h['x-ratelimit-reset'] };
	}

	clear() {
		this.hits.clear();
	}
}
