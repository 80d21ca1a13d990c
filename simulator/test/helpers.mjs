/** Shared helpers for the simulator's own tests. */
import { gunzipSync } from 'node:zlib';

export const VERSION = '2025-11-01';

/**
 * One API call. `key: null` sends no authorization, `version: null` no version header,
 * `raw` sends a body string as is.
 */
export async function call(
	sim,
	path,
	{ method = 'GET', body, raw, key = 'test-key', version = VERSION, headers = {} } = {},
) {
	const h = { ...headers };
	if (key !== null) h.authorization = `Bearer ${key}`;
	if (version !== null) h['x-api-version'] = version;
	if (body !== undefined || raw !== undefined) h['content-type'] = 'application/json';
	const res = await fetch(sim.url + path, {
		method,
		headers: h,
		body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

export const enrich = (sim, body, options = {}) =>
	call(sim, '/person/contact/enrich', { method: 'POST', body, ...options });

export const url = (slug) => `https://www.linkedin.com/in/${slug}`;

/** The first match's contact of entry `i`. */
export const contactOf = (res, i = 0) => res.json[i].matches[0].person_data.contact;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function gunzipLines(buffer) {
	return gunzipSync(buffer)
		.toString('utf8')
		.split('\n')
		.filter(Boolean)
		.map((l) => JSON.parse(l));
}

/** A batch submit; `fields` defaults to business_email. */
export const submitBatch = (sim, body, options = {}) =>
	call(sim, '/batch/person/contact/enrich', {
		method: 'POST',
		body: { fields: ['business_email'], ...body },
		...options,
	});

/** Polls `GET /batch/{id}` until the job reaches `status`, and returns that view. */
export async function waitForJob(sim, id, status, key) {
	for (let i = 0; i < 300; i++) {
		const res = await call(sim, `/batch/${id}`, { key });
		if (res.json.status === status) return res.json;
		await sleep(10);
	}
	throw new Error(`batch ${id} never reached ${status}`);
}

/** The gzipped JSON Lines of a completed job's results file, as records. */
export const downloadRows = async (job) =>
	gunzipLines(Buffer.from(await (await fetch(job.download_url)).arrayBuffer()));

/** A POST the client gives up on after `ms`: resolves to the error it rejected with. */
export function postGivingUp(sim, path, body, ms = 150, key = 'test-key') {
	return fetch(sim.url + path, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${key}`,
			'x-api-version': VERSION,
			'content-type': 'application/json',
		},
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(ms),
	}).then(
		(res) => {
			throw new Error(`expected no answer, got ${res.status}`);
		},
		(error) => error,
	);
}
