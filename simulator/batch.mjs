/**
 * Batch Contact Enrich jobs (contract section 3). A job's status is computed from its age
 * rather than moved by timers, so an idle simulator holds no timers open:
 * `pending` for pendingMs, then `processing` for processingMs, then `completed` (or `failed`
 * when a batchFail fault picked it). Results are gzipped JSON Lines, built on first download.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
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

export class BatchStore {
	/** @param {{pendingMs?: number, processingMs?: number, maxActive?: number, layout?: 'envelope'|'flat'}} options */
	constructor(
		{ pendingMs = 2000, processingMs = 5000, maxActive = 5, layout = 'envelope' } = {},
		now = Date.now,
	) {
		Object.assign(this, { pendingMs, processingMs, maxActive, layout, now });
		this.jobs = []; // oldest first
	}

	clear() {
		this.jobs.length = 0;
	}

	status(job) {
		const age = this.now() - job.createdAt;
		if (age < this.pendingMs) return 'pending';
		if (age < this.pendingMs + this.processingMs) return 'processing';
		return job.fail ? 'failed' : 'completed';
	}

	activeCount(key) {
		return this.jobs.filter(
			(j) => j.key === key && ['pending', 'processing'].includes(this.status(j)),
		).length;
	}

	submit(key, request, fail) {
		const job = {
			id: randomUUID(),
			key,
			createdAt: this.now(),
			fail,
			token: randomBytes(16).toString('hex'),
			...request,
		};
		job.matched = job.urls.filter((u) => lookupProfileUrl(u).length > 0).length;
		this.jobs.push(job);
		return job;
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
			completed_at: done
				? new Date(job.createdAt + this.pendingMs + this.processingMs).toISOString()
				: null,
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

	/** `{jobs, next_cursor, has_more}` newest first, or `{error}`; the cursor is an opaque offset. */
	list(key, baseUrl, { limit = '20', status, cursor }) {
		const size = Number(limit);
		if (!Number.isInteger(size) || size < 1 || size > 100)
			return { error: 'limit must be an integer from 1 to 100' };
		if (status && !STATUSES.includes(status))
			return { error: `status must be one of ${STATUSES.join(', ')}` };
		const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
		if (!Number.isInteger(offset) || offset < 0) return { error: 'Invalid cursor' };
		const mine = this.jobs
			.filter((j) => j.key === key && (!status || this.status(j) === status))
			.reverse();
		const page = mine.slice(offset, offset + size);
		const hasMore = offset + size < mine.length;
		return {
			jobs: page.map((j) => this.view(j, baseUrl)),
			next_cursor: hasMore ? Buffer.from(String(offset + size)).toString('base64url') : null,
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
