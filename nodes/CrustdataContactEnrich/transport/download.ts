import type { IExecuteFunctions } from 'n8n-workflow';

import type { CrustdataResponse } from './index';
import { networkFailure } from './index';
import type { TransportFailure } from './retryPolicy';
import { isRetryable, retryDelayMs, retryLimit } from './retryPolicy';
import { waitMs } from './wait';

// Results files live behind pre-signed storage URLs: the signature in the query string is the
// authorization, and storage rejects a request that also carries an authorization header. So this
// is the one request that does not go through httpRequestWithAuthentication.

export type DownloadResult =
	| { ok: true; bytes: Uint8Array; retries: number }
	/** Storage answered 404: an empty job's file is never written. */
	| { ok: true; missing: true; retries: number }
	| { ok: false; failure: TransportFailure; retries: number };

function toBytes(body: unknown): Uint8Array | undefined {
	if (body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	if (typeof body === 'string') return new TextEncoder().encode(body);
	return undefined;
}

async function fetchOnce(
	context: IExecuteFunctions,
	url: string,
	timeoutMs: number,
): Promise<{ bytes: Uint8Array } | { missing: true } | TransportFailure> {
	let response: CrustdataResponse;
	try {
		response = (await context.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'arraybuffer',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: timeoutMs,
		})) as CrustdataResponse;
	} catch (error) {
		return networkFailure(context, error);
	}
	const headers = response.headers ?? {};
	if (response.statusCode === 404) return { missing: true };
	if (response.statusCode >= 400) {
		// Storage errors are XML; their text says nothing the status does not.
		return { kind: 'status', status: response.statusCode, headers, body: undefined };
	}
	const bytes = toBytes(response.body);
	if (bytes === undefined) {
		const detail = 'the results file came back in an unreadable form';
		return { kind: 'malformed', status: response.statusCode, headers, detail };
	}
	return { bytes };
}

/** Downloads one results file (no authorization header), retrying 5xx, 429 and time-outs. */
export async function downloadResultsFile(
	this: IExecuteFunctions,
	url: string,
	timeoutMs: number,
	now: () => number = Date.now,
): Promise<DownloadResult> {
	const signal = this.getExecutionCancelSignal();
	for (let retries = 0; ; retries++) {
		const outcome = await fetchOnce(this, url, timeoutMs);
		if ('bytes' in outcome) return { ok: true, bytes: outcome.bytes, retries };
		if ('missing' in outcome) return { ok: true, missing: true, retries };
		// A download is a free GET of a file: sending it again after a time-out costs nothing.
		if (!isRetryable(outcome, true) || retries >= retryLimit(outcome)) {
			return { ok: false, failure: outcome, retries };
		}
		await waitMs(retryDelayMs(retries + 1, outcome, now()), signal);
	}
}
