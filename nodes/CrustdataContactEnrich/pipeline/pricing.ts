import type { ContactField } from '../types';

// What one person can cost, as Crustdata's own n8n node documents contact pricing: per matched
// person, 1 credit when a business email comes back, 2 for personal emails, 2 for phone numbers,
// at most 5 in all; "verified" adds 0.5; nobody matched costs nothing. Websites are not priced
// there: they are reckoned at 1, within the same cap. The truth for a request is its
// `x-credits-used`; this table is only the ceiling a run's budget is planned against.

export const CREDITS_PER_FIELD: Record<ContactField, number> = {
	'contact.business_emails': 1,
	'contact.personal_emails': 2,
	'contact.phone_numbers': 2,
	'contact.websites': 1,
};

/** The most one person can cost without verification. */
export const MAX_CREDITS_PER_PERSON = 5;

/** What re-checking business emails adds per person who keeps one. */
export const VERIFIED_SURCHARGE = 0.5;

/** The most one identifier can cost with these Fields and this Verified setting. */
export function worstCaseCredits(fields: readonly ContactField[], verified: boolean): number {
	const base = Math.min(
		MAX_CREDITS_PER_PERSON,
		[...new Set(fields)].reduce((sum, field) => sum + CREDITS_PER_FIELD[field], 0),
	);
	const surcharge = verified && fields.includes('contact.business_emails') ? VERIFIED_SURCHARGE : 0;
	return base + surcharge;
}
