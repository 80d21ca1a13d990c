import {
	indexRecords,
	parseJsonLines,
	recordKey,
	recordToEntry,
} from '../../nodes/CrustdataContactEnrich/pipeline/batchRecords';
import type { BatchRecord } from '../../nodes/CrustdataContactEnrich/types';

const URL = 'https://www.linkedin.com/in/ada-lovelace';
const business = [{ email: 'ada@example.com', status: 'deliverable' }];
const personal = [{ email: 'ada.l@example.org', status: 'catch_all' }];
const phones = ['+15555550123'];

const envelope: BatchRecord = {
	original_identifier: URL,
	internal_id: 14540,
	data: {
		business_email: business,
		personal_contact_info: { personal_emails: personal, phone_numbers: phones },
	},
};
const flat: BatchRecord = {
	professional_network_url: URL,
	person_id: 14540,
	business_email: business,
	personal_contact_info: { personal_emails: personal, phone_numbers: phones },
};
const matchedEntry = {
	matched_on: URL,
	match_type: 'professional_network_profile_url',
	matches: [
		{
			confidence_score: 1,
			person_data: {
				crustdata_person_id: 14540,
				contact: { business_emails: business, personal_emails: personal, phone_numbers: phones },
			},
		},
	],
};
const noMatch = { matched_on: URL, match_type: 'professional_network_profile_url', matches: [] };

describe('recordToEntry', () => {
	it.each<[string, BatchRecord | undefined, unknown]>([
		['the envelope layout', envelope, matchedEntry],
		['the flat layout', flat, matchedEntry],
		[
			'an unmatched envelope (empty values)',
			{ original_identifier: URL, internal_id: null, data: { business_email: [] } },
			noMatch,
		],
		[
			'an unmatched flat row with null tiers',
			{ professional_network_url: URL, person_id: null, personal_contact_info: null },
			noMatch,
		],
		['a URL without a record', undefined, noMatch],
	])('maps %s', (_label, record, expected) => {
		expect(recordToEntry(URL, record)).toEqual(expected);
	});

	it('matches a person found without the requested data, as Enrich does', () => {
		const entry = recordToEntry(URL, { original_identifier: URL, internal_id: 7, data: {} });
		expect(entry.matches).toEqual([
			{
				confidence_score: 1,
				person_data: {
					crustdata_person_id: 7,
					contact: { business_emails: [], personal_emails: [], phone_numbers: [] },
				},
			},
		]);
	});

	it('matches data without a person id, and tolerates junk tiers', () => {
		const entry = recordToEntry(URL, {
			original_identifier: URL,
			data: { business_email: business, personal_contact_info: 'n/a' as never },
		});
		expect(entry.matches[0].person_data).toEqual({
			crustdata_person_id: null,
			contact: { business_emails: business, personal_emails: [], phone_numbers: [] },
		});
	});
});

describe('parseJsonLines', () => {
	it('reads one record per line, skipping blank lines and CRLF', () => {
		const text = `${JSON.stringify(envelope)}\r\n\n${JSON.stringify(flat)}\n`;
		expect(parseJsonLines(text)).toEqual({ ok: true, records: [envelope, flat] });
	});

	it.each([
		['an empty file as no records', '', { ok: true, records: [] }],
		['a broken line', '{"a":1}\n{"b":', { ok: false, reason: 'line 2 is not valid JSON' }],
		['a line that is not an object', '[1,2]', { ok: false, reason: 'line 1 is not a JSON object' }],
	])('reads %s', (_label, text, expected) => {
		expect(parseJsonLines(text)).toEqual(expected);
	});
});

describe('recordKey and indexRecords', () => {
	it.each<[string, BatchRecord, string | undefined]>([
		['a URL as sent', { original_identifier: URL }, URL],
		[
			'another spelling of the URL in its sent form',
			{ professional_network_url: 'http://uk.linkedin.com/in/Ada-Lovelace/' },
			URL,
		],
		['text that is no profile URL as it is', { original_identifier: 'not-a-url' }, 'not-a-url'],
		['a record without a URL as undefined', { data: {} }, undefined],
	])('keys %s', (_label, record, expected) => {
		expect(recordKey(record)).toBe(expected);
	});

	it('indexes by key, first record of a URL winning', () => {
		const second: BatchRecord = { original_identifier: `${URL}/`, internal_id: 2 };
		const index = indexRecords([envelope, second, { data: {} }]);
		expect([...index.entries()]).toEqual([[URL, envelope]]);
	});
});
