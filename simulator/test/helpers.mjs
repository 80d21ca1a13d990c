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
