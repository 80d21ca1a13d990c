import type { ShapeOptions } from '../../nodes/CrustdataContactEnrich/pipeline/shapeOutput';
import { selectEmails, shapeEntry } from '../../nodes/CrustdataContactEnrich/pipeline/shapeOutput';
import type { EnrichEntry } from '../../nodes/CrustdataContactEnrich/types';

const URL = 'https://www.linkedin.com/in/ada';

const entry: EnrichEntry = {
	matched_on: URL,
	match_type: 'professional_network_profile_url',
	matches: [
		{
			confidence_score: 1,
			person_data: {
				crustdata_person_id: 14540,
				contact: {
					business_emails: [
						{ email: 'ada@old.example', status: 'catch_all' },
						{ email: 'ada@example.com', status: 'deliverable' },
					],
					personal_emails: [{ email: 'ada.l@example.org', status: 'catch_all' }],
					phone_numbers: ['+15555550123'],
					websites: null,
				},
			},
		},
		{ confidence_score: 0.4, person_data: { crustdata_person_id: 7, contact: null } },
	],
};

const options = (overrides: Partial<ShapeOptions> = {}): ShapeOptions => ({
	identifierType: 'profileUrl',
	simplify: true,
	includeUnmatched: false,
	emailStatuses: [],
	minConfidence: 0,
	...overrides,
});

describe('shapeEntry', () => {
	it('simplifies a match into flat CRM fields, best email first', () => {
		expect(shapeEntry(URL, entry, options())[0]).toEqual({
			identifier: URL,
			identifierType: 'profileUrl',
			matched: true,
			matchRank: 1,
			personId: 14540,
			confidence: 1,
			businessEmail: 'ada@example.com',
			businessEmailStatus: 'deliverable',
			personalEmail: 'ada.l@example.org',
			phoneNumber: '+15555550123',
			businessEmails: ['ada@example.com', 'ada@old.example'],
			personalEmails: ['ada.l@example.org'],
			phoneNumbers: ['+15555550123'],
			websites: [],
			businessEmailsMessage: null,
		});
	});

	it('gives one item per match, with its rank among the candidates', () => {
		const shaped = shapeEntry(URL, entry, options());
		expect(shaped.map((json) => [json.personId, json.matchRank, json.businessEmail])).toEqual([
			[14540, 1, 'ada@example.com'],
			[7, 2, null],
		]);
	});

	it('returns the raw match exactly as the API sent it when not simplifying', () => {
		expect(shapeEntry(URL, entry, options({ simplify: false }))).toEqual([
			{
				matched_on: URL,
				match_type: 'professional_network_profile_url',
				confidence_score: 1,
				person_data: entry.matches[0].person_data,
			},
			{
				matched_on: URL,
				match_type: 'professional_network_profile_url',
				confidence_score: 0.4,
				person_data: entry.matches[1].person_data,
			},
		]);
	});

	it('drops matches below the minimum confidence, in both shapes', () => {
		expect(
			shapeEntry(URL, entry, options({ minConfidence: 0.5 })).map((json) => json.personId),
		).toEqual([14540]);
		expect(shapeEntry(URL, entry, options({ simplify: false, minConfidence: 0.5 }))).toHaveLength(
			1,
		);
	});

	it('keeps only the chosen email statuses', () => {
		const [json] = shapeEntry(URL, entry, options({ emailStatuses: ['catch_all'] }));
		expect(json.businessEmail).toBe('ada@old.example');
		expect(json.businessEmails).toEqual(['ada@old.example']);
	});

	it('flags an identifier with no match only when asked to', () => {
		const none: EnrichEntry = {
			matched_on: URL,
			match_type: 'professional_network_profile_url',
			matches: [],
		};
		expect(shapeEntry(URL, none, options())).toEqual([]);
		const [simplified] = shapeEntry(URL, none, options({ includeUnmatched: true }));
		expect(simplified).toMatchObject({
			identifier: URL,
			matched: false,
			personId: null,
			businessEmail: null,
			businessEmails: [],
		});
		expect(shapeEntry(URL, none, options({ includeUnmatched: true, simplify: false }))).toEqual([
			{ matched_on: URL, match_type: 'professional_network_profile_url', matches: [] },
		]);
	});
});

describe('selectEmails', () => {
	it('ignores anything that is not an email record', () => {
		expect(selectEmails([null, 'x', { email: 'a@b.co' }], [])).toEqual([
			{ email: 'a@b.co', status: 'unknown' },
		]);
		expect(selectEmails(undefined, [])).toEqual([]);
	});
});
