import { z } from 'zod';

import type { IdentifierType } from '../types';
import { uniqueValues } from './dedupe';

// Profile URLs are sent as https://www.linkedin.com/in/<slug>, emails trimmed and lower-cased with
// the domain in its ASCII (punycode) form, so that every spelling of one identifier is bought once
// (see the API notes: URL variants are undocumented, duplicates in a request are billed per
// position). Answers are paired with what was sent through the same normalisation.

export type NormaliseResult = { ok: true; value: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;
const MAX_EMAIL_LENGTH = 254;
// Any subdomain: www, a country (uk.), the mobile ones (m., touch.www.).
const LINKEDIN_URL =
	/^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*linkedin\.com(?::\d+)?(\/[^?#]*)?(?:[?#].*)?$/i;
// Mobile paths put the profile under a prefix: /mwlite/in/<slug>, /m/in/<slug>.
const MOBILE_PREFIXES = new Set(['mwlite', 'm']);
// LinkedIn custom profile addresses: letters of any script, digits, hyphens (3–100 characters;
// older ones can be shorter, so no minimum is enforced). Member ids (ACoAA…) also use underscores.
const PROFILE_SLUG = /^[\p{L}\p{M}\p{N}_-]+$/u;
const MAX_SLUG_LENGTH = 100;
// Member ids are case-sensitive encoded ids (ACoAA… from profiles, ACwAA… from Sales Navigator
// exports, AC?AA… in general); custom addresses are not.
const MEMBER_ID = /^AC[A-Za-z]AA[A-Za-z0-9_-]{10,}$/;

const NON_PROFILE_PAGES: Record<string, string> = {
	company: 'a LinkedIn company page',
	school: 'a LinkedIn school page',
	showcase: 'a LinkedIn showcase page',
	posts: 'a LinkedIn post',
	feed: 'a LinkedIn post',
	pulse: 'a LinkedIn article',
	jobs: 'a LinkedIn job page',
	groups: 'a LinkedIn group',
	events: 'a LinkedIn event',
	sales: 'a Sales Navigator page',
	pub: 'an old-style public profile address (/pub/…)',
};

const PROFILE_URL_HINT = 'Use a profile URL such as https://www.linkedin.com/in/jane-doe.';

function slugFromPath(path: string): NormaliseResult {
	const segments = path.split('/').filter((segment) => segment !== '');
	if (MOBILE_PREFIXES.has(segments[0]?.toLowerCase()) && segments[1]?.toLowerCase() === 'in') {
		segments.shift();
	}
	if (segments.length === 0)
		return { ok: false, reason: `it has no profile path. ${PROFILE_URL_HINT}` };
	const [section, slug] = segments;
	if (section.toLowerCase() !== 'in' || slug === undefined) {
		const page = NON_PROFILE_PAGES[section.toLowerCase()] ?? 'not a LinkedIn profile URL';
		return { ok: false, reason: `it is ${page}, not a person's profile. ${PROFILE_URL_HINT}` };
	}
	let decoded: string;
	try {
		// NFC: one name typed with composed or decomposed accents (ü or u + ¨) is one identifier.
		decoded = decodeURIComponent(slug).normalize('NFC');
	} catch {
		return { ok: false, reason: `its profile name is not valid URL encoding. ${PROFILE_URL_HINT}` };
	}
	if ([...decoded].length > MAX_SLUG_LENGTH) {
		return {
			ok: false,
			reason: `its profile name is longer than ${MAX_SLUG_LENGTH} characters. ${PROFILE_URL_HINT}`,
		};
	}
	if (!PROFILE_SLUG.test(decoded)) {
		return {
			ok: false,
			reason: `its profile name may only hold letters, digits and hyphens. ${PROFILE_URL_HINT}`,
		};
	}
	const canonical = MEMBER_ID.test(decoded) ? decoded : decoded.toLowerCase();
	return { ok: true, value: `https://www.linkedin.com/in/${encodeURIComponent(canonical)}` };
}

const profileUrlSchema = z
	.string()
	.trim()
	.max(MAX_URL_LENGTH, `it is longer than ${MAX_URL_LENGTH} characters`)
	.transform((raw, ctx) => {
		const fail = (message: string) => {
			ctx.addIssue({ code: z.ZodIssueCode.custom, message });
			return z.NEVER;
		};
		if (!raw.includes('/') && raw.includes('@')) {
			return fail(
				'it is an email address. Set "Identify By" to "Business Email" to look up emails',
			);
		}
		const url = LINKEDIN_URL.exec(raw);
		if (url === null) return fail(`it is not a LinkedIn URL. ${PROFILE_URL_HINT}`);
		const slug = slugFromPath(url[1] ?? '');
		return slug.ok ? slug.value : fail(slug.reason);
	});

const EMAIL_HINT = 'Use an address such as jane@acme.com';
const NOT_AN_EMAIL = `it is not a valid email address. ${EMAIL_HINT}`;
const MAX_LOCAL_PART_LENGTH = 64;
// RFC 5322 atext, plus any letter, mark or number beyond ASCII (RFC 6531 allows UTF-8 there).
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\-\u0080-\uFFFF]+$/u;
const DOMAIN_TEXT = /^[^\s/?#:@[\]\\<>"',;]+$/u;
const ASCII_DOMAIN =
	/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// "Jane Doe <jane@acme.com>": the address inside the angle brackets.
const NAME_ADDRESS = /^(?:"[^"]*"|[^<>"])*<([^<>]+)>$/;

/** The domain in the ASCII form mail systems use (IDNA punycode), or undefined when invalid. */
function asciiDomain(domain: string): string | undefined {
	if (!DOMAIN_TEXT.test(domain)) return undefined;
	let hostname: string;
	try {
		hostname = new URL(`http://${domain}`).hostname;
	} catch {
		return undefined;
	}
	return ASCII_DOMAIN.test(hostname) ? hostname : undefined;
}

function localPartProblem(local: string): string | undefined {
	if (local === '' || [...local].length > MAX_LOCAL_PART_LENGTH) return NOT_AN_EMAIL;
	if (local.split('.').some((atom) => !LOCAL_ATOM.test(atom))) return NOT_AN_EMAIL;
	return undefined;
}

const businessEmailSchema = z
	.string()
	.trim()
	.transform((raw) => (NAME_ADDRESS.exec(raw)?.[1] ?? raw).trim().replace(/^mailto:/i, ''))
	.superRefine((email, ctx) => {
		if (/^https?:\/\/|linkedin\.com\//i.test(email)) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: 'it is a URL. Set "Identify By" to "Profile URL" to look up LinkedIn profiles',
			});
		}
	})
	.pipe(
		z
			.string()
			.max(MAX_EMAIL_LENGTH, `it is longer than ${MAX_EMAIL_LENGTH} characters`)
			.transform((email, ctx) => {
				const at = email.lastIndexOf('@');
				const local = email.slice(0, at).normalize('NFC').toLowerCase();
				const domain =
					at > 0
						? asciiDomain(
								email
									.slice(at + 1)
									.normalize('NFC')
									.toLowerCase(),
							)
						: undefined;
				const problem = domain === undefined ? NOT_AN_EMAIL : localPartProblem(local);
				if (problem !== undefined) {
					ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
					return z.NEVER;
				}
				return `${local}@${domain}`;
			}),
	);

const SCHEMAS: Record<IdentifierType, z.ZodType<string, z.ZodTypeDef, string>> = {
	profileUrl: profileUrlSchema,
	businessEmail: businessEmailSchema,
};

export function normaliseIdentifier(type: IdentifierType, raw: string): NormaliseResult {
	const parsed = SCHEMAS[type].safeParse(raw);
	if (parsed.success) return { ok: true, value: parsed.data };
	return { ok: false, reason: parsed.error.issues[0]?.message ?? 'it is not valid' };
}

/** Every value normalised, duplicates dropped; or the first value that is not valid, and why. */
export function normaliseAll(
	type: IdentifierType,
	values: string[],
): { ok: true; values: string[] } | { ok: false; value: string; reason: string } {
	const normalised: string[] = [];
	for (const value of values) {
		const result = normaliseIdentifier(type, value);
		if (!result.ok) return { ok: false, value, reason: result.reason };
		normalised.push(result.value);
	}
	return { ok: true, values: uniqueValues(normalised) };
}
