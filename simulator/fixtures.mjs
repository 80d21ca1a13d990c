/**
 * Deterministic fixture people. Tests elsewhere in the repo rely on these rules, so change
 * them only together with those tests.
 *
 * Profile URL lookups (`professional_network_profile_urls`):
 * - The slug is the path segment after `/in/`, lower-cased; a trailing slash, query string
 *   or fragment is ignored, so every URL form of one slug is the same person. A URL without
 *   `/in/<slug>` matches nobody.
 * - Slug starting with `nomatch` → `matches: []`.
 * - Slug `abhilashchowdhary` → the person of the public doc example, verbatim: id 1068035,
 *   business `abhilash@crustdata.com` (deliverable), personal `personal@example.com`
 *   (deliverable), phone `+1-555-0100` (sic, not E.164, as the doc prints it), websites `[]`.
 * - Any other slug → one match, confidence 1.0, and from sha256(slug):
 *   - `crustdata_person_id`: 100000–999999;
 *   - business email `<slug>@<company>.example.com`, company one of acme, globex, initech,
 *     umbrella, hooli, stark, wayne, wonka; status `deliverable`, but `catch_all` if the slug
 *     contains `-catchall`, else `invalid` for `-invalid`, else `unknown` for `-unknown`;
 *     no business email at all (`[]`) if it contains `-nobiz`;
 *   - personal email `<slug>.home@example.org`, `deliverable`;
 *   - phone `+1555` + 7 digits; none (`[]`) if the slug contains `-nophone`;
 *   - websites `["https://<slug>.example.net"]`.
 *
 * Business email lookups (`business_emails`), on the trimmed, lower-cased email whose local
 * part (before `@`) plays the role of the slug above (markers included):
 * - No `@`, or local part starting with `nomatch` → `matches: []`.
 * - Local part starting with `multi` → 3 candidates, confidence 0.92, 0.61, 0.34, best first,
 *   different person ids. The first one's business email is the looked-up email; the others
 *   are `<local>-2@…`/`<local>-3@…` at their own company.
 * - Otherwise one match, confidence 0.97, business email = the looked-up email, personal
 *   email, phone and website built as for a slug, hashed from the email.
 */
import { createHash } from 'node:crypto';

const COMPANIES = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne', 'wonka'];
const MULTI_CONFIDENCES = [0.92, 0.61, 0.34];

/** The person of the doc's example response; the doc prints exactly these values. */
const DOC_PERSON = Object.freeze({
	crustdata_person_id: 1068035,
	business_emails: [{ email: 'abhilash@crustdata.com', status: 'deliverable' }],
	personal_emails: [{ email: 'personal@example.com', status: 'deliverable' }],
	phone_numbers: ['+1-555-0100'],
	websites: [],
});

/** The slug after `/in/`, lower-cased, or null when the URL has none. */
export function profileSlug(url) {
	const m = /\/in\/([^/?#]+)/i.exec(String(url));
	if (!m) return null;
	try {
		return decodeURIComponent(m[1]).toLowerCase();
	} catch {
		return m[1].toLowerCase();
	}
}

function businessStatus(name) {
	if (name.includes('-catchall')) return 'catch_all';
	if (name.includes('-invalid')) return 'invalid';
	if (name.includes('-unknown')) return 'unknown';
	return 'deliverable';
}

/**
 * One fixture person. `seed` feeds the hash, `name` is the slug-like part used in the
 * addresses and markers, `businessEmail` overrides the derived business address.
 */
function makePerson(seed, name, businessEmail) {
	const h = createHash('sha256').update(seed).digest();
	const company = COMPANIES[h[4] % COMPANIES.length];
	const phone = '+1555' + String(h.readUInt32BE(8) % 1e7).padStart(7, '0');
	return {
		crustdata_person_id: 100000 + (h.readUInt32BE(0) % 900000),
		business_emails: name.includes('-nobiz')
			? []
			: [
					{
						email: businessEmail ?? `${name}@${company}.example.com`,
						status: businessStatus(name),
					},
				],
		personal_emails: [{ email: `${name}.home@example.org`, status: 'deliverable' }],
		phone_numbers: name.includes('-nophone') ? [] : [phone],
		websites: [`https://${name}.example.net`],
	};
}

/** Candidates for one profile URL: `[{confidence, person}]`, best first. */
export function lookupProfileUrl(url) {
	const slug = profileSlug(url);
	if (!slug || slug.startsWith('nomatch')) return [];
	if (slug === 'abhilashchowdhary')
		return [{ confidence: 1.0, person: structuredClone(DOC_PERSON) }];
	return [{ confidence: 1.0, person: makePerson(slug, slug) }];
}

/** Candidates for one business email: `[{confidence, person}]`, best first. */
export function lookupBusinessEmail(email) {
	const address = String(email).trim().toLowerCase();
	const at = address.indexOf('@');
	if (at < 1) return [];
	const local = address.slice(0, at);
	if (local.startsWith('nomatch')) return [];
	if (!local.startsWith('multi'))
		return [{ confidence: 0.97, person: makePerson(address, local, address) }];
	return MULTI_CONFIDENCES.map((confidence, i) => ({
		confidence,
		person:
			i === 0
				? makePerson(address, local, address)
				: makePerson(`${address}#${i + 1}`, `${local}-${i + 1}`),
	}));
}
