/** Small HTTP helpers and the API's error bodies, shared by the route modules. */

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The whole request body as text (the API only takes small JSON bodies). */
export function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY_BYTES) req.destroy(new Error('body too large'));
			else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** `{ok: true, value}` or `{ok: false}`; never throws. */
export function parseJson(text) {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

/** The common error envelope: `{"error": {"type", "message", "metadata"}}`. */
export function apiError(type, message, metadata = []) {
	return { error: { type, message, metadata } };
}

export const invalidRequest = (message) => apiError('invalid_request', message);

export const permissionError = () =>
	apiError(
		'permission_error',
		'Your plan does not include contact data. Contact sales to enable contact enrichment.',
		[{ denied_fields: ['contact'] }],
	);

export const insufficientCredits = (needed, left) =>
	apiError(
		'insufficient_credits',
		`Insufficient credits: this request needs ${needed} credits and ${Number.isFinite(left) ? left : 'unlimited'} remain.`,
	);

export const internalError = () =>
	apiError('internal_error', 'Internal server error. Retry with exponential backoff');

export const notFound = (message = 'Not found') => apiError('not_found', message);

/** `body` if it is a plain object, else null (arrays and scalars are not request objects). */
export function asObject(body) {
	return body && typeof body === 'object' && !Array.isArray(body) ? body : null;
}
