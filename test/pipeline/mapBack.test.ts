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

	// Since the hardening issue an entry without matched_on is kept: it pairs by position.
	it('keeps an entry without matched_on, with an empty one', () => {
		expect(parseEnrichResponse([{ matches: [] }])).toEqual([
			{ matched_on: '', match_type: '', matches: [] },
		]);
	});

	it.each([
		['an object', { error: 'x' }],
		['a string', 'oops'],
		['entries that are not objects', ['a']],
	])('refuses %s', (_label, body) => {
		expect(parseEnrichResponse(body)).toBeUndefined();
	});
});

describe('mapEntriesToIdentifiers', () => {
	const url = (slug: string) => `https://www.linkedin.com/in/${slug}`;
	const urlEntry = (matchedOn: string) => ({
		matched_on: matchedOn,
		match_type: 'professional_network_profile_url',
		matches: [],
	});
	const pairs = ({ answered, missing }: ReturnType<typeof mapEntriesToIdentifiers>) => ({
		answered: Object.fromEntries([...answered].map(([id, e]) => [id, e.matched_on])),
		missing,
	});

	it('pairs by identity in any order: another order never moves data onto another person', () => {
		expect(
			pairs(
				mapEntriesToIdentifiers(
					['a@x.com', 'b@x.com', 'c@x.com'],
					[entry('c@x.com'), entry('a@x.com'), entry('b@x.com')],
					'businessEmail',
				),
			),
		).toEqual({
			answered: { 'a@x.com': 'a@x.com', 'b@x.com': 'b@x.com', 'c@x.com': 'c@x.com' },
			missing: [],
		});
	});

	it('pairs by matched_on when an entry is missing, so nothing shifts onto the wrong person', () => {
		const { answered, missing } = mapEntriesToIdentifiers(
			['a@x.com', 'b@x.com', 'c@x.com'],
			[entry('a@x.com'), entry('C@X.com')],
			'businessEmail',
		);
		expect([...answered.keys()]).toEqual(['a@x.com', 'c@x.com']);
		expect(missing).toEqual(['b@x.com']);
	});

	it.each([
		['percent-decoded', 'https://www.linkedin.com/in/josé', url('jos%C3%A9')],
		['without www', 'https://linkedin.com/in/jane', url('jane')],
		['with a trailing slash', 'https://www.linkedin.com/in/jane/', url('jane')],
		['in upper case', 'HTTP://WWW.LINKEDIN.COM/IN/JANE', url('jane')],
	])('pairs an answer that spells the URL %s', (_label, echoed, sent) => {
		const { answered, missing } = mapEntriesToIdentifiers(
			[url('other'), sent],
			[urlEntry(echoed)],
			'profileUrl',
		);
		expect(answered.get(sent)?.matched_on).toBe(echoed);
		expect(missing).toEqual([url('other')]);
	});

	it('falls back to position only for an entry whose matched_on is missing or names nothing sent', () => {
		expect(
			pairs(
				mapEntriesToIdentifiers(
					['a@x.com', 'b@x.com', 'c@x.com'],
					[entry(''), entry('zz@x.com'), entry('a@x.com')],
					'businessEmail',
				),
			),
		).toEqual({ answered: { 'a@x.com': 'a@x.com', 'b@x.com': 'zz@x.com' }, missing: ['c@x.com'] });
	});
});

describe('noMatchEntries', () => {
	it('answers every identifier with no match', () => {
		expect(noMatchEntries(['a'], 'business_email')).toEqual([entry('a')]);
	});
});
