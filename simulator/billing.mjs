/**
 * The simulator-wide ledger of charges, the stand-in for the account's usage ledger: one
 * record per enrich request that was processed and charged (at the moment it was charged,
 * whether or not its answer ever reached the client) and one per batch job that completed
 * (at its completion time). Records show the key masked, like the request log; totals are
 * looked up by the raw key, which never leaves this module.
 */
export class BillingLedger {
	/** @type {{key: string, record: object}[]} */
	#rows = [];

	/** @param {string} key the raw API key @param {{at: number, credits: number}} record */
	charge(key, record) {
		this.#rows.push({ key, record });
		return record;
	}

	/** Copies of the records (of one key, or all), oldest charge first. */
	records(key) {
		// A batch job is entered when the simulator notices it completed, which can be after a
		// later enrich request: sort by when the charge applies, not by when it was entered.
		return this.#select(key)
			.map((record) => ({ ...record }))
			.sort((a, b) => a.at - b.at);
	}

	/** Credits charged so far (to one key, or in all). */
	total(key) {
		return this.#select(key).reduce((sum, r) => sum + r.credits, 0);
	}

	clear() {
		this.#rows.length = 0;
	}

	#select(key) {
		return this.#rows
			.filter((row) => key === undefined || row.key === key)
			.map((row) => row.record);
	}
}
