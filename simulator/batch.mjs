/**
 * Batch Contact Enrich jobs (contract section 3). A job's status is computed from its age
 * rather than moved by timers, so an idle simulator holds no timers open:
 * `pending` for pendingMs, then `processing` for processingMs, then `completed` (or `failed`
 * when a batchFail fault picked it). With `durationMs: [min, max]` each job draws its own
 * total duration, split between the two in the pendingMs:processingMs ratio. Results are
 * gzipped JSON Lines, built on first download, from the same fixture people as enrich.
 * Billing (the simulator's decision; the docs only say "no per-profile base fee"): a job is
 * charged when it completes, per matched record, with enrich's price table applied to what the
 * record holds (so a URL costs the same by either channel); a failed job costs nothing.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { contactCredits } from './enrich.mjs';
import { lookupProfileUrl } from './fixtures.mjs';
import { asObject } from './http.mjs';

export const BATCH_FIELDS = [
	'business_email',
	'personal_contact_info',
	'personal_contact_info.personal_emails',
	'personal_contact_info.phone_numbers',
];
const MAX_URLS = 300;
const STATUSES = ['pending', 'processing', 'completed', 'failed'];

/** `{error}` with the 400 message, or `{urls, fields, verified, webhookUrl, chunkSize}`. */
export function validateBatch(raw) {
	const body = asObject(raw);
	if (!body) return { error: 'Request body must be a JSON object' };
	if ('business_emails' in body)
		return { error: 'Batch contact enrich accepts professional_network_profile_urls only' };
	const urls = body.professional_network_profile_urls;
	if (!Array.isArray(urls) || !urls.length)
		return { error: 'professional_network_profile_urls must be a non-empty array' };
	if (urls.length > MAX_URLS)
		return {
			error: `professional_network_profile_urls accepts at most ${MAX_URLS} values, got ${urls.length}`,
		};
	if (!urls.every((u) => typeof u === 'string' && u.trim()))
		return { error: 'professional_network_profile_urls must contain only non-empty strings' };
	const fields = body.fields;
	if (!Array.isArray(fields) || !fields.length)
		return { error: `fields is required: a non-empty array of ${BATCH_FIELDS.join(', ')}` };
	const bad = fields.filter((f) => !BATCH_FIELDS.includes(f));
	if (bad.length)
		return {
			error: `Invalid fields: ${JSON.stringify(bad)}. Allowed fields: ${BATCH_FIELDS.join(', ')}`,
		};
	if (body.webhook_url !== undefined && typeof body.webhook_url !== 'string')
		return { error: 'webhook_url must be a string' };
	const chunk = body.chunk_size;
	if (chunk !== undefined && !(Number.isInteger(chunk) && chunk >= 10 && chunk <= 1000))
		return { error: 'chunk_size must be an integer from 10 to 1000' };
	if (body.verified !== undefined && typeof body.verified !== 'boolean')
		return { error: 'verified must be a boolean' };
	return {
		urls,
		fields,
		verified: body.verified === true,
		webhookUrl: body.webhook_url ?? null,
		chunkSize: chunk ?? null,
	};
}

/** One results-file row; unmatched URLs keep their row with empty values. */
function resultRow(url, fields, verified, layout) {
	const person = lookupProfileUrl(url)[0]?.person;
	const has = (f) => fields.includes(f);
	const contact = {};
	if (has('business_email')) {
		const emails = person?.business_emails ?? [];
		contact.business_email = verified ? emails.filter((e) => e.status === 'deliverable') : emails;
	}
	const personal = has('personal_contact_info') || has('personal_contact_info.personal_emails');
	const phones = has('personal_contact_info') || has('personal_contact_info.phone_numbers');
	if (personal || phones) {
		contact.personal_contact_info = {};
		if (personal) contact.personal_contact_info.personal_emails = person?.personal_emails ?? [];
		if (phones) contact.personal_contact_info.phone_numbers = person?.phone_numbers ?? [];
	}
	const id = person?.crustdata_person_id ?? null;
	return layout === 'flat'
		? { professional_network_url: url, person_id: id, ...contact }
		: { original_identifier: url, internal_id: id, data: contact };
}

/** What one URL's record costs: enrich's price for the same contact data, 0 without a match. */
function recordCredits(url, fields, verified) {
	const { internal_id: id, data } = resultRow(url, fields, verified, 'envelope');
	if (id === null) return 0;
	return contactCredits(
		{
			business_emails: data.business_email,
			personal_emails: data.personal_contact_info?.personal_emails,
			phone_numbers: data.personal_contact_info?.phone_numbers,
		},
		verified,
	);
}

/** `durationMs` as `[min, max]` whole milliseconds, or undefined; throws on a range that cannot work. */
function durationRange(durationMs) {
	if (durationMs === undefined || durationMs === null) return undefined;
	const [min, max = min] = [durationMs].flat();
	if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min)
		throw new Error(
			'batch.durationMs must be a whole number of ms or [min, max] with 0 <= min <= max',
		);
	return [min, max];
}

/** Uniform in [0, 1), the same for the same seed and job number on every run. */
function seededUniform(seed, n) {
	return createHash('sha256').update(`${seed}:${n}`).digest().readUInt32BE(0) / 2 ** 32;
}

const ACTIVE = ['pending', 'processing'];
const completedAt = (job) => job.createdAt + job.pendingMs + job.processingMs;

export class BatchStore {
	/**
	 * @param {{pendingMs?: number, processingMs?: number, durationMs?: number|[number, number],
	 *   seed?: string, maxActive?: number, layout?: 'envelope'|'flat'}} options
	 */
	constructor(
		{
			pendingMs = 2000,
			processingMs = 5000,
			durationMs,
			seed = 'crustdata-simulator',
			maxActive = 5,
			layout = 'envelope',
		} = {},
		now = Date.now,
	) {
		Object.assign(this, { pendingMs, processingMs, seed, maxActive, layout, now });
		this.durationMs = durationRange(durationMs);
		this.jobs = []; // oldest first
		this.submitted = 0; // jobs created since clear(): numbers them, and seeds their duration
		/** @type {Map<string, number>} the most jobs a key ever had active at once */
		this.activePeaks = new Map();
	}

	clear() {
		this.jobs.length = 0;
		this.submitted = 0;
		this.activePeaks.clear();
	}

	status(job) {
		const age = this.now() - job.createdAt;
		if (age < job.pendingMs) return 'pending';
		if (age < job.pendingMs + job.processingMs) return 'processing';
		return job.fail ? 'failed' : 'completed';
	}

	activeCount(key) {
		return this.jobs.filter((j) => j.key === key && ACTIVE.includes(this.status(j))).length;
	}

	/**
	 * The most jobs one key had pending or processing at once since clear() (for one key, or
	 * the busiest key). Jobs only become active on submit, so counting then is exact.
	 */
	maxActiveSeen(key) {
		if (key !== undefined) return this.activePeaks.get(key) ?? 0;
		return Math.max(0, ...this.activePeaks.values());
	}

	/** Job number `n`'s pending and processing times: fixed, or drawn from durationMs. */
	timing(n) {
		if (!this.durationMs) return { pendingMs: this.pendingMs, processingMs: this.processingMs };
		const [min, max] = this.durationMs;
		const total = min + Math.floor(seededUniform(this.seed, n) * (max - min + 1));
		const split = this.pendingMs + this.processingMs;
		const pendingMs = split > 0 ? Math.round((total * this.pendingMs) / split) : 0;
		return { pendingMs, processingMs: total - pendingMs };
	}

	submit(key, request, fail, requestId = null) {
		const n = ++this.submitted;
		const job = {
			id: randomUUID(),
			seq: n,
			key,
			createdAt: this.now(),
			...this.timing(n),
			fail,
			token: randomBytes(16).toString('hex'),
			requestId,
			charged: null, // credits, once billed on completion
			...request,
		};
		job.matched = job.urls.filter((u) => lookupProfileUrl(u).length > 0).length;
		job.price = job.urls.reduce((sum, u) => sum + recordCredits(u, job.fields, job.verified), 0);
		this.jobs.push(job);
		this.activePeaks.set(key, Math.max(this.maxActiveSeen(key), this.activeCount(key)));
		return job;
	}

	/** Completed jobs not billed yet, in completion order, now marked billed; failed ones never are. */
	takeCompleted() {
		const due = this.jobs
			.filter((j) => j.charged === null && this.status(j) === 'completed')
			.sort((a, b) => completedAt(a) - completedAt(b));
		for (const job of due) job.charged = 0; // the caller sets what it charged
		return due;
	}

	/** A job as the simulator's own tests see it (not an API shape). */
	summary(job) {
		return {
			batchId: job.id,
			status: this.status(job),
			identifierCount: job.urls.length,
			matched: job.matched,
			price: job.price,
			charged: job.charged,
			requestId: job.requestId,
			createdAt: job.createdAt,
			pendingMs: job.pendingMs,
			processingMs: job.processingMs,
			completedAt: completedAt(job),
		};
	}

	get(key, id) {
		return this.jobs.find((j) => j.id === id && j.key === key);
	}

	/** The job as `GET /batch/{id}` shows it. */
	view(job, baseUrl) {
		const status = this.status(job);
		const done = status === 'completed' || status === 'failed';
		const url = status === 'completed' ? `${baseUrl}/__files/${job.token}.jsonl.gz` : null;
		return {
			batch_id: job.id,
			status,
			entity: 'person',
			action: 'contact_enrich',
			identifier_count: job.urls.length,
			result_count: status === 'completed' ? job.matched : status === 'failed' ? 0 : null,
			created_at: new Date(job.createdAt).toISOString(),
			completed_at: done ? new Date(completedAt(job)).toISOString() : null,
			download_url: url,
			download_urls: url ? [url] : [],
			error_message:
				status === 'failed'
					? 'Batch processing failed: an internal error stopped this job. Submit it again.'
					: null,
			webhook_url: job.webhookUrl,
			status_url: `${baseUrl}/batch/${job.id}`,
		};
	}

	/**
	 * `{jobs, next_cursor, has_more}` newest first, or `{error}`. The opaque cursor names the
	 * last job of the page (its number), not an offset, so jobs submitted while a client pages
	 * neither shift nor repeat what it reads next.
	 */
	list(key, baseUrl, { limit = '20', status, cursor }) {
		const size = Number(limit);
		if (!Number.isInteger(size) || size < 1 || size > 100)
			return { error: 'limit must be an integer from 1 to 100' };
		if (status && !STATUSES.includes(status))
			return { error: `status must be one of ${STATUSES.join(', ')}` };
		const before = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : Infinity;
		if (before !== Infinity && !(Number.isInteger(before) && before >= 0))
			return { error: 'Invalid cursor' };
		const mine = this.jobs
			.filter((j) => j.key === key && j.seq < before && (!status || this.status(j) === status))
			.reverse();
		const page = mine.slice(0, size);
		const hasMore = mine.length > size;
		return {
			jobs: page.map((j) => this.view(j, baseUrl)),
			next_cursor: hasMore ? Buffer.from(String(page.at(-1).seq)).toString('base64url') : null,
			has_more: hasMore,
		};
	}

	/** The gzipped results for a token, or null when there is no such file (404). */
	file(token) {
		const job = this.jobs.find((j) => j.token === token);
		// A completed job with no result points to a file that was never written.
		if (!job || this.status(job) !== 'completed' || job.matched === 0) return null;
		job.file ??= gzipSync(
			job.urls
				.map((u) => JSON.stringify(resultRow(u, job.fields, job.verified, this.layout)) + '\n')
				.join(''),
		);
		return job.file;
	}
}
