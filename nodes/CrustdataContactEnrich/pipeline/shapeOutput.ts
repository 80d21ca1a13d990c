import type { IDataObject } from 'n8n-workflow';
import { deepCopy } from 'n8n-workflow';

import type { EmailRecord, EnrichEntry, EnrichMatch, IdentifierType } from '../types';

export interface ShapeOptions {
	identifierType: IdentifierType;
	simplify: boolean;
	includeUnmatched: boolean;
	/** Email statuses kept in the simplified output; empty keeps all. */
	emailStatuses: string[];
	/** Matches below this confidence are dropped. */
	minConfidence: number;
}

// Best first: a deliverable address beats a catch-all, which beats an unverifiable one.
const STATUS_RANK: Record<string, number> = {
	deliverable: 0,
	catch_all: 1,
	unknown: 2,
	invalid: 3,
};
const rankOf = (record: EmailRecord) => STATUS_RANK[record.status] ?? 4;

function isEmailRecord(value: unknown): value is EmailRecord {
	return (
		typeof value === 'object' && value !== null && typeof (value as EmailRecord).email === 'string'
	);
}

/** Email records of one tier: tolerant of absent/null tiers, filtered by status, best first. */
export function selectEmails(records: unknown, statuses: string[]): EmailRecord[] {
	if (!Array.isArray(records)) return [];
	return records
		.filter(isEmailRecord)
		.map((record) => ({ email: record.email, status: String(record.status ?? 'unknown') }))
		.filter((record) => statuses.length === 0 || statuses.includes(record.status))
		.sort((a, b) => rankOf(a) - rankOf(b));
}

function strings(values: unknown): string[] {
	return Array.isArray(values)
		? values.filter((value): value is string => typeof value === 'string')
		: [];
}

function simplifyMatch(
	identifier: string,
	match: EnrichMatch,
	rank: number | null,
	options: ShapeOptions,
): IDataObject {
	const contact = match.person_data.contact ?? {};
	const businessEmails = selectEmails(contact.business_emails, options.emailStatuses);
	const personalEmails = selectEmails(contact.personal_emails, options.emailStatuses);
	const phoneNumbers = strings(contact.phone_numbers);
	return {
		identifier,
		identifierType: options.identifierType,
		matched: rank !== null,
		matchRank: rank,
		personId: match.person_data.crustdata_person_id ?? null,
		confidence: match.confidence_score,
		businessEmail: businessEmails[0]?.email ?? null,
		businessEmailStatus: businessEmails[0]?.status ?? null,
		personalEmail: personalEmails[0]?.email ?? null,
		phoneNumber: phoneNumbers[0] ?? null,
		businessEmails: businessEmails.map((record) => record.email),
		personalEmails: personalEmails.map((record) => record.email),
		phoneNumbers,
		websites: strings(contact.websites),
		businessEmailsMessage:
			typeof contact.business_emails_message === 'string' ? contact.business_emails_message : null,
	};
}

// An identifier nobody matched: the same fields as a match, all empty, so downstream mappings hold.
const NO_MATCH: EnrichMatch = { confidence_score: null, person_data: {} };

/** The output json objects for one identifier's answer: one per kept match, or one unmatched. */
export function shapeEntry(
	identifier: string,
	entry: EnrichEntry,
	options: ShapeOptions,
): IDataObject[] {
	const kept = entry.matches.filter(
		(match) => options.minConfidence <= 0 || (match.confidence_score ?? 0) >= options.minConfidence,
	);
	if (kept.length === 0) {
		if (!options.includeUnmatched) return [];
		return [
			options.simplify
				? simplifyMatch(identifier, NO_MATCH, null, options)
				: { matched_on: entry.matched_on, match_type: entry.match_type, matches: [] },
		];
	}
	return kept.map((match) =>
		options.simplify
			? simplifyMatch(identifier, match, entry.matches.indexOf(match) + 1, options)
			: {
					matched_on: entry.matched_on,
					match_type: entry.match_type,
					confidence_score: match.confidence_score,
					// Each item owns its objects: a node downstream that edits one must not change another.
					person_data: deepCopy(match.person_data as IDataObject),
				},
	);
}
