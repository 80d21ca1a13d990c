import {
	mapEntriesToIdentifiers,
	noMatchEntries,
	parseEnrichResponse,
} from '../../nodes/CrustdataContactEnrich/pipeline/mapBack';

const entry = (matchedOn: string) => ({
	matched_on: matchedOn,
	match_type: 'business_email',
	matches: [],
});

describe('parseEnrichResponse', () => {
	it('accepts the documented array and tolerates absent, null and extra keys', () => {
		const parsed = parseEnrichResponse([
			{ matched_on: 'a', match_type: 'business_email', matches: null, match_status: 'x' },
			{ matched_on: 'b', matches: [{ confidence_score: 0.5 }] },
		]);
		expect(parsed).toEqual([
			{ matched_on: 'a', match_type: 'business_email', matches: [], match_status: 'x' },
			{ matched_on: 'b', match_type: '', matches: [{ confidence_score: 0.5, person_data: {} }] },
		]);
	});

	it.each([
		['an object', { error: 'x' }],
		['a string', 'oops'],
		['entries without matched_on', [{ matches: [] }]],
	])('refuses %s', (_label, body) => {
		expect(parseEnrichResponse(body)).toBeUndefined();
	});
});

describe('mapEntriesToIdentifiers', () => {
	it('pairs by position when the counts agree', () => {
		const { answered, missing } = mapEntriesToIdentifiers(['a', 'b'], [entry('A'), entry('B')]);
		expect(answered.get('a')?.matched_on).toBe('A');
		expect(answered.get('b')?.matched_on).toBe('B');
		expect(missing).toEqual([]);
	});

	it('pairs by matched_on when an entry is missing, so nothing shifts onto the wrong person', () => {
		const { answered, missing } = mapEntriesToIdentifiers(
			['a', 'b', 'c'],
			[entry('a'), entry('C')],
		);
		expect([...answered.keys()]).toEqual(['a', 'c']);
		expect(missing).toEqual(['b']);
	});
});

describe('noMatchEntries', () => {
	it('answers every identifier with no match', () => {
		expect(noMatchEntries(['a'], 'business_email')).toEqual([entry('a')]);
	});
});
