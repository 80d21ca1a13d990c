import type { BatchRecord, EmailRecord, EnrichEntry, PersonData } from '../types';
import { MATCH_TYPE } from '../types';
import { normaliseIdentifier } from './normalise';

// A results file holds one record per submitted URL, matched or not. Two layouts are seen: the
// documented envelope `{original_identifier, internal_id, data: {...}}` and a flat row
// `{professional_network_url, person_id, ...contact keys}`. Each becomes the entry Enrich would
// have returned, so both operations share one output.

export type ParsedLines = { ok: true; records: BatchRecord[] } | { ok: false; reason: string };

export function parseJsonLines(text: string): ParsedLines {
	const records: BatchRecord[] = [];
	const lines = text.split(/\r?\n/);
	for (let index = 0; index < lines.length; index++) {
		const line = lines[index].trim();
		if (line === '') continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			return { ok: false, reason: `line ${index + 1} is not valid JSON` };
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			return { ok: false, reason: `line ${index + 1} is not a JSON object` };
		}
		records.push(value as BatchRecord);
	}
	return { ok: true, records };
}

const asObject = (value: unknown): Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** The profile URL a record is about, as Crustdata echoes it (either layout). */
export function recordUrl(record: BatchRecord): string | undefined {
	const url = record.original_identifier ?? record.professional_network_url;
	return typeof url === 'string' && url.trim() !== '' ? url.trim() : undefined;
}

/** The record's URL in the form the node sends, so it matches what was submitted. */
export function recordKey(record: BatchRecord): string | undefined {
	const url = recordUrl(record);
	if (url === undefined) return undefined;
	const normalised = normaliseIdentifier('profileUrl', url);
	return normalised.ok ? normalised.value : url;
}

/**
 * The entry Enrich would return for this URL: one match (confidence 1, as URL lookups are)
 * when the record names a person or holds any contact data, else no match.
 */
export function recordToEntry(identifier: string, record: BatchRecord | undefined): EnrichEntry {
	const entry: EnrichEntry = {
		matched_on: identifier,
		match_type: MATCH_TYPE.profileUrl,
		matches: [],
	};
	if (record === undefined) return entry;
	const flat = record.data === undefined;
	const data = flat ? asObject(record) : asObject(record.data);
	const personal = asObject(data.personal_contact_info);
	const businessEmails = list<EmailRecord>(data.business_email);
	const personalEmails = list<EmailRecord>(personal.personal_emails);
	const phoneNumbers = list<string>(personal.phone_numbers);
	const rawId = flat ? record.person_id : record.internal_id;
	const personId = typeof rawId === 'number' || typeof rawId === 'string' ? rawId : null;
	const hasData =
		personId !== null || businessEmails.length + personalEmails.length + phoneNumbers.length > 0;
	if (!hasData) return entry;
	const personData: PersonData = {
		crustdata_person_id: personId,
		contact: {
			business_emails: businessEmails,
			personal_emails: personalEmails,
			phone_numbers: phoneNumbers,
		},
	};
	entry.matches.push({ confidence_score: 1, person_data: personData });
	return entry;
}

/** Records by the normalised URL they are about; the first record of a URL wins. */
export function indexRecords(records: readonly BatchRecord[]): Map<string, BatchRecord> {
	const byUrl = new Map<string, BatchRecord>();
	for (const record of records) {
		const key = recordKey(record);
		if (key !== undefined && !byUrl.has(key)) byUrl.set(key, record);
	}
	return byUrl;
}
