/** The account, batch and results-file routes (enrich lives in enrich.mjs). */
import { validateBatch } from './batch.mjs';
import { recordRequest } from './enrich.mjs';
import { applyBilledFault, applyResponseFault } from './faults.mjs';
import {
	apiError,
	invalidRequest,
	notFound,
	parseJson,
	permissionError,
	readBody,
} from './http.mjs';

const UNLIMITED_CREDITS = 1_000_000_000;
const OTHER_ENDPOINTS = ['/person/enrich', '/person/search', '/company/enrich', '/company/search'];
export const CREDITS_SHAPES = ['flat', 'account'];

export function checkCreditsShape(shape) {
	if (!CREDITS_SHAPES.includes(shape))
		throw new Error(
			`creditsShape must be one of ${CREDITS_SHAPES.join(', ')}, got ${JSON.stringify(shape)}`,
		);
	return shape;
}

/**
 * `GET /account/credits`: free, so no x-credits-used. `creditsShape: 'account'` answers the
 * documented `{account: {credits, recurring_credits}}`; the default stays the older flat
 * `{credits}`, which the simulator's own tests were written against.
 */
export async function getCredits(ctx) {
	if (await applyResponseFault(ctx, ctx.takeFault(null))) return;
	const { credits, recurringCredits } = ctx.account;
	const balance = Number.isFinite(credits) ? credits : UNLIMITED_CREDITS;
	if (ctx.state.options.creditsShape === 'account')
		return ctx.reply(200, { account: { credits: balance, recurring_credits: recurringCredits } });
	return ctx.reply(200, { credits: balance });
}

/** `GET /account/endpoints`: what this key may call and at which rate. */
export async function getEndpoints(ctx) {
	if (await applyResponseFault(ctx, ctx.takeFault(null))) return;
	const { limit, windowMs } = ctx.state.limiter;
	const contact = ctx.account.contactAccess ? 'enabled' : 'not_enabled';
	const endpoints = [
		{
			endpoint: '/person/contact/enrich',
			method: 'POST',
			status: contact,
			effective_rate_limit_rpm: Math.round((limit * 60_000) / windowMs),
		},
		{
			endpoint: '/batch/person/contact/enrich',
			method: 'POST',
			status: contact,
			effective_rate_limit_rpm: 15,
		},
		...OTHER_ENDPOINTS.map((endpoint) => ({
			endpoint,
			method: 'POST',
			status: 'enabled',
			effective_rate_limit_rpm: 15,
		})),
	];
	return ctx.reply(200, { endpoints });
}

/** `POST /batch/person/contact/enrich`. */
export async function submitBatch(ctx) {
	const { state, entry, apiKey, account } = ctx;
	const parsed = parseJson(await readBody(ctx.req));
	if (!parsed.ok) return ctx.reply(400, invalidRequest('Request body is not valid JSON'));
	recordRequest(entry, parsed.value);
	const request = validateBatch(parsed.value);
	if (request.error) return ctx.reply(400, invalidRequest(request.error));
	if (!account.contactAccess) return ctx.reply(403, permissionError());
	if (state.batches.activeCount(apiKey) >= state.batches.maxActive) {
		const message = `At most ${state.batches.maxActive} batch jobs can be pending or processing at once. Wait for one to finish.`;
		return ctx.reply(429, apiError('rate_limit_exceeded', message));
	}
	const fault = ctx.takeFault(request.urls);
	if (await applyResponseFault(ctx, fault)) return;
	const job = state.batches.submit(apiKey, request, fault?.kind === 'batchFail', entry.requestId);
	entry.batchId = job.id;
	// billThenDelay / billThenDrop: the job exists (and is active) whether or not the client hears.
	if (await applyBilledFault(ctx, fault)) return;
	const { batch_id, status, entity, action, identifier_count, status_url } = state.batches.view(
		job,
		state.url,
	);
	return ctx.reply(200, { batch_id, status, entity, action, identifier_count, status_url });
}

/** `GET /batch/{id}`: another key's job is as unknown as a made-up id. */
export async function getBatch(ctx, id) {
	if (await applyResponseFault(ctx, ctx.takeFault(null))) return;
	const job = ctx.state.batches.get(ctx.apiKey, id);
	if (!job) return ctx.reply(404, notFound(`Batch job ${id} not found`));
	return ctx.reply(200, ctx.state.batches.view(job, ctx.state.url));
}

/** `GET /batch?limit=&status=&cursor=`. */
export async function listBatches(ctx) {
	if (await applyResponseFault(ctx, ctx.takeFault(null))) return;
	const result = ctx.state.batches.list(ctx.apiKey, ctx.state.url, Object.fromEntries(ctx.query));
	if (result.error) return ctx.reply(400, invalidRequest(result.error));
	return ctx.reply(200, result);
}

const s3Error = (code, message) =>
	`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;

/**
 * `GET /__files/<token>.jsonl.gz`: stands in for the pre-signed storage URL. Like S3 it takes
 * no API auth (an authorization header next to the signature is a 400) and serves the gzip
 * bytes as an opaque file, without content-encoding, so clients must gunzip themselves.
 */
export async function downloadFile(ctx, token) {
	if (await applyResponseFault(ctx, ctx.takeFault(null))) return;
	const xml = { 'content-type': 'application/xml' };
	if (ctx.req.headers.authorization !== undefined) {
		return ctx.reply(
			400,
			s3Error(
				'InvalidArgument',
				'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified',
			),
			xml,
		);
	}
	const file = ctx.state.batches.file(token);
	if (!file) return ctx.reply(404, s3Error('NoSuchKey', 'The specified key does not exist.'), xml);
	return ctx.reply(200, file, { 'content-type': 'application/octet-stream' });
}
