/** `POST /person/contact/enrich`: validation, response shaping, billing and the route. */
import { lookupBusinessEmail, lookupProfileUrl } from './fixtures.mjs';
import { applyBilledFault, applyResponseFault } from './faults.mjs';
import {
	asObject,
	insufficientCredits,
	invalidRequest,
	parseJson,
	permissionError,
	readBody,
} from './http.mjs';
import { respell } from './respell.mjs';

export const CONTACT_FIELDS = [
	'contact',
	'contact.business_emails',
	'contact.personal_emails',
	'contact.phone_numbers',
	'contact.websites',
];
const TIERS = ['business_emails', 'personal_emails', 'phone_numbers', 'websites'];
const ID_KEYS = {
	professional_network_profile_urls: 'professional_network_profile_url',
	business_emails: 'business_email',
};
const MAX_IDENTIFIERS = 25;
const MAX_CREDITS_PER_PERSON = 5;

/** Copies what the body says into the log entry, as received (even when invalid). */
export function recordRequest(entry, body) {
	const b = asObject(body) ?? {};
	const keys = Object.keys(ID_KEYS).filter((k) => k in b);
	entry.identifierKey = keys.length === 1 ? keys[0] : null;
	entry.identifiers = keys.length === 1 && Array.isArray(b[keys[0]]) ? b[keys[0]] : null;
	entry.fields = b.fields ?? null;
	entry.verified = b.verified ?? null;
}

/** `{error}` with the 400 message, or the request as `{idKey, identifiers, tiers, verified}`. */
export function validateEnrich(raw) {
	const body = asObject(raw);
	if (!body) return { error: 'Request body must be a JSON object' };
	const present = Object.keys(ID_KEYS).filter((k) => k in body);
	if (present.length > 1)
		return {
			error: 'Provide only one of professional_network_profile_urls or business_emails, not both',
		};
	if (!present.length)
		return { error: 'One of professional_network_profile_urls or business_emails is required' };
	const [idKey] = present;
	const ids = body[idKey];
	if (!Array.isArray(ids)) return { error: `${idKey} must be an array of strings` };
	if (!ids.length) return { error: `${idKey} must contain at least one value` };
	if (ids.length > MAX_IDENTIFIERS)
		return { error: `${idKey} accepts at most ${MAX_IDENTIFIERS} values, got ${ids.length}` };
	if (!ids.every((v) => typeof v === 'string' && v.trim()))
		return { error: `${idKey} must contain only non-empty strings` };
	const fields = body.fields;
	if (fields !== undefined) {
		const bad = Array.isArray(fields)
			? fields.filter((f) => !CONTACT_FIELDS.includes(f))
			: [fields];
		if (bad.length || !fields.length) {
			return {
				error: `Invalid fields: ${JSON.stringify(bad)}. Allowed fields: ${CONTACT_FIELDS.join(', ')}`,
			};
		}
	}
	if (body.verified !== undefined && typeof body.verified !== 'boolean')
		return { error: 'verified must be a boolean' };
	return { idKey, identifiers: ids, tiers: tiersOf(fields), verified: body.verified === true };
}

/** Requested contact tiers; no `fields`, or `contact`, means all four. */
function tiersOf(fields) {
	if (!fields || fields.includes('contact')) return new Set(TIERS);
	return new Set(fields.map((f) => f.slice('contact.'.length)));
}

function shapeContact(person, tiers, verified) {
	const contact = {};
	for (const tier of TIERS) if (tiers.has(tier)) contact[tier] = person[tier];
	if (verified && contact.business_emails) {
		// `verified` re-checks at request time: only deliverable addresses survive.
		contact.business_emails = contact.business_emails.filter((e) => e.status === 'deliverable');
		if (!contact.business_emails.length)
			contact.business_emails_message = 'No business email passed verification';
	}
	return contact;
}

/** The 200 body: one entry per identifier, in request order, `matched_on` as sent. */
export function buildEntries({ idKey, identifiers, tiers, verified }) {
	const lookup = idKey === 'business_emails' ? lookupBusinessEmail : lookupProfileUrl;
	return identifiers.map((id) => ({
		matched_on: id,
		match_type: ID_KEYS[idKey],
		matches: lookup(id).map(({ confidence, person }) => ({
			confidence_score: confidence,
			person_data: {
				crustdata_person_id: person.crustdata_person_id,
				contact: shapeContact(person, tiers, verified),
			},
		})),
	}));
}

/** Credits for one entry, from its best match: 1 business + 2 personal + 2 phone (max 5), +0.5 verified. */
export function entryCredits(entry, verified) {
	const contact = entry.matches[0]?.person_data.contact;
	return contact ? contactCredits(contact, verified) : 0;
}

/**
 * Credits for one matched person's contact `{business_emails, personal_emails, phone_numbers}`
 * as returned; the batch results are priced with it too, so both channels cost the same.
 */
export function contactCredits(contact, verified) {
	const has = (tier) => (contact[tier]?.length ?? 0) > 0;
	const base = Math.min(
		MAX_CREDITS_PER_PERSON,
		(has('business_emails') ? 1 : 0) +
			(has('personal_emails') ? 2 : 0) +
			(has('phone_numbers') ? 2 : 0),
	);
	return base + (verified && has('business_emails') ? 0.5 : 0);
}

/**
 * The answer as a fault reshapes it. `short` leaves off the last `drop` entries (default 1),
 * `reorder` and `respell` the last `drop` (default 0); `respell` spells each `matched_on`
 * differently; `reorder`, or an `order` on any of the three, then permutes what is left.
 */
export function shapeAnswer(entries, fault, idKey) {
	if (!['short', 'reorder', 'respell'].includes(fault?.kind)) return entries;
	const drop = fault.drop ?? (fault.kind === 'short' ? 1 : 0);
	let out = entries.slice(0, Math.max(0, entries.length - drop));
	if (fault.kind === 'respell')
		out = out.map((e, i) => ({
			...e,
			matched_on: respell(e.matched_on, idKey, fault.spelling, i),
		}));
	if (fault.kind === 'reorder' || fault.order) out = permute(out, fault.order);
	return out;
}

/**
 * `order[i]` is the index of the entry answered at position i. Indexes past the end are
 * skipped and unlisted entries follow in request order, so one `order` fits any answer size.
 * No order: reversed.
 */
function permute(entries, order) {
	if (!order) return [...entries].reverse();
	const picked = order.filter((i) => i < entries.length);
	const rest = entries.map((_, i) => i).filter((i) => !picked.includes(i));
	return [...picked, ...rest].map((i) => entries[i]);
}

/** The route, after auth and version checks. */
export async function handleEnrich(ctx) {
	const { state, entry, apiKey, account } = ctx;
	const parsed = parseJson(await readBody(ctx.req));
	if (!parsed.ok) return ctx.reply(400, invalidRequest('Request body is not valid JSON'));
	recordRequest(entry, parsed.value);
	const request = validateEnrich(parsed.value);
	if (request.error) return ctx.reply(400, invalidRequest(request.error));
	if (!account.contactAccess) return ctx.reply(403, permissionError());

	const slot = state.limiter.admit(apiKey);
	if (slot === null) {
		const body = state.options.rateLimitBody
			? { error: { type: 'rate_limit_exceeded', message: 'Too many requests', metadata: [] } }
			: undefined;
		return ctx.reply(429, body, state.limiter.rejectHeaders(apiKey));
	}
	const fault = ctx.takeFault(request.identifiers);
	if (fault?.kind === 'status' && fault.status === 429) state.limiter.release(apiKey, slot);
	if (await applyResponseFault(ctx, fault)) return;

	// Only the entries that come back are charged, in whatever order or spelling they come.
	const entries = shapeAnswer(buildEntries(request), fault, request.idKey);
	const cost = entries.reduce((sum, e) => sum + entryCredits(e, request.verified), 0);
	// Exhausted keys are refused outright, and a request never runs a balance negative.
	if (account.credits <= 0 || cost > account.credits)
		return ctx.reply(402, insufficientCredits(cost, account.credits));
	account.credits -= cost;
	ctx.bill(cost, entries.filter((e) => e.matches.length > 0).length);
	// billThenDelay / billThenDrop: charged above, whether or not the client hears back.
	if (await applyBilledFault(ctx, fault)) return;
	return ctx.reply(200, entries, { 'x-credits-used': String(cost) });
}
