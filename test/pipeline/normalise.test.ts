import {
	normaliseAll,
	normaliseIdentifier,
} from '../../nodes/CrustdataContactEnrich/pipeline/normalise';

const HINT = 'Use a profile URL such as https://www.linkedin.com/in/jane-doe.';

describe('normaliseIdentifier: profile URLs', () => {
	it.each([
		['the canonical form', 'https://www.linkedin.com/in/jane-doe'],
		['no scheme, no www', 'linkedin.com/in/jane-doe'],
		['http', 'http://www.linkedin.com/in/jane-doe'],
		['a country subdomain', 'https://uk.linkedin.com/in/jane-doe'],
		['the mobile host', 'https://m.linkedin.com/in/jane-doe'],
		['a trailing slash', 'https://www.linkedin.com/in/jane-doe/'],
		['a query string', 'https://www.linkedin.com/in/jane-doe?originalSubdomain=uk&trk=x'],
		['a fragment', 'https://www.linkedin.com/in/jane-doe#about'],
		['mixed case', 'HTTPS://WWW.LinkedIn.com/in/Jane-Doe'],
		['surrounding spaces', '  https://www.linkedin.com/in/jane-doe  '],
		['a sub-page of the profile', 'https://www.linkedin.com/in/jane-doe/details/experience/'],
		// Since the hardening issue: the mobile forms.
		['the mobile-lite path', 'https://www.linkedin.com/mwlite/in/jane-doe'],
		['the mobile path', 'linkedin.com/m/in/Jane-Doe/'],
		['the touch host', 'https://touch.www.linkedin.com/in/jane-doe'],
	])('accepts %s', (_label, raw) => {
		expect(normaliseIdentifier('profileUrl', raw)).toEqual({
			ok: true,
			value: 'https://www.linkedin.com/in/jane-doe',
		});
	});

	it('keeps non-Latin profile names, percent-encoded once', () => {
		const encoded = 'https://www.linkedin.com/in/%E6%9D%8E%E5%A8%9C-123';
		expect(normaliseIdentifier('profileUrl', 'linkedin.com/in/李娜-123')).toEqual({
			ok: true,
			value: encoded,
		});
		expect(normaliseIdentifier('profileUrl', encoded)).toEqual({ ok: true, value: encoded });
	});

	it.each([
		['a profile member id', 'ACoAABcDeFgHiJ_kl'],
		['a Sales Navigator member id', 'ACwAAAB1c2VyX2lkXzEy'],
		['another member id of that kind', 'ACgAAAxYz0123456789'],
	])('keeps the case of %s (member ids are case-sensitive)', (_label, id) => {
		expect(normaliseIdentifier('profileUrl', `linkedin.com/in/${id}`)).toEqual({
			ok: true,
			value: `https://www.linkedin.com/in/${id}`,
		});
	});

	it('keeps the case of member ids, which are case-sensitive', () => {
		expect(normaliseIdentifier('profileUrl', 'linkedin.com/in/ACoAABcDeFgHiJ_kl')).toEqual({
			ok: true,
			value: 'https://www.linkedin.com/in/ACoAABcDeFgHiJ_kl',
		});
	});

	it.each([
		[
			'a company page',
			'https://www.linkedin.com/company/acme',
			`it is a LinkedIn company page, not a person's profile. ${HINT}`,
		],
		[
			'a post',
			'https://www.linkedin.com/posts/jane_activity-1',
			`it is a LinkedIn post, not a person's profile. ${HINT}`,
		],
		[
			'a feed update',
			'https://www.linkedin.com/feed/update/urn:li:activity:1',
			`it is a LinkedIn post, not a person's profile. ${HINT}`,
		],
		[
			'an old /pub/ address',
			'https://www.linkedin.com/pub/jane-doe/1/2/3',
			`it is an old-style public profile address (/pub/…), not a person's profile. ${HINT}`,
		],
		['the home page', 'https://www.linkedin.com', `it has no profile path. ${HINT}`],
		[
			'/in/ without a name',
			'https://www.linkedin.com/in/',
			`it is not a LinkedIn profile URL, not a person's profile. ${HINT}`,
		],
		['another site', 'https://example.com/in/jane-doe', `it is not a LinkedIn URL. ${HINT}`],
		[
			'a look-alike host',
			'https://linkedin.com.evil.example/in/jane',
			`it is not a LinkedIn URL. ${HINT}`,
		],
		['a bare name', 'jane-doe', `it is not a LinkedIn URL. ${HINT}`],
		[
			'an email address',
			'jane@acme.com',
			'it is an email address. Set "Identify By" to "Business Email" to look up emails',
		],
		[
			'a name with a dot',
			'linkedin.com/in/jane.doe',
			`its profile name may only hold letters, digits and hyphens. ${HINT}`,
		],
		[
			'broken URL encoding',
			'linkedin.com/in/%E6%9D',
			`its profile name is not valid URL encoding. ${HINT}`,
		],
		[
			'a very long string',
			`https://www.linkedin.com/in/${'a'.repeat(3000)}`,
			'it is longer than 2048 characters',
		],
		['an empty string', '', `it is not a LinkedIn URL. ${HINT}`],
	])('rejects %s', (_label, raw, reason) => {
		expect(normaliseIdentifier('profileUrl', raw)).toEqual({ ok: false, reason });
	});
});

describe('normaliseIdentifier: business emails', () => {
	it.each([
		['a plain address', 'jane@acme.com', 'jane@acme.com'],
		['mixed case and spaces', '  Jane.Doe@ACME.com ', 'jane.doe@acme.com'],
		['a mailto: link', 'mailto:Jane@acme.com', 'jane@acme.com'],
		['a plus address', 'jane+crm@acme.co.uk', 'jane+crm@acme.co.uk'],
		// Since the hardening issue: addresses people really have (RFC 5322, RFC 6531), the domain
		// sent in its ASCII (punycode) form so that both spellings are one identifier.
		['an ampersand', 'O&Neil@Acme.com', 'o&neil@acme.com'],
		['an apostrophe', "o'brien@acme.ie", "o'brien@acme.ie"],
		['an accented local part', 'Jöhn@acme.de', 'jöhn@acme.de'],
		['a Unicode domain', 'jane@München.de', 'jane@xn--mnchen-3ya.de'],
		['the punycode of that domain', 'jane@xn--mnchen-3ya.de', 'jane@xn--mnchen-3ya.de'],
		['non-Latin text', '李娜@例子.公司', '李娜@xn--fsqu00a.xn--55qx5d'],
		['a display name', 'Jane Doe <Jane@Acme.com>', 'jane@acme.com'],
		['a quoted display name', '"Doe, Jane" <jane@acme.com>', 'jane@acme.com'],
	])('accepts %s', (_label, raw, value) => {
		expect(normaliseIdentifier('businessEmail', raw)).toEqual({ ok: true, value });
	});

	it.each([
		[
			'a profile URL',
			'https://www.linkedin.com/in/jane-doe',
			'it is a URL. Set "Identify By" to "Profile URL" to look up LinkedIn profiles',
		],
		[
			'a missing domain',
			'jane@',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		[
			'no @',
			'jane.acme.com',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		['an over-long address', `${'a'.repeat(250)}@acme.com`, 'it is longer than 254 characters'],
		[
			'two dots in a row',
			'a..b@acme.com',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		[
			'a leading dot',
			'.a@acme.com',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		[
			'a space',
			'a b@acme.com',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		[
			'a domain without a dot',
			'a@acme',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
		[
			'an underscore in the domain',
			'a@acme_corp.com',
			'it is not a valid email address. Use an address such as jane@acme.com',
		],
	])('rejects %s', (_label, raw, reason) => {
		expect(normaliseIdentifier('businessEmail', raw)).toEqual({ ok: false, reason });
	});
});

describe('normaliseAll', () => {
	it('normalises every value and keeps each identifier once, in order of first appearance', () => {
		expect(
			normaliseAll('profileUrl', [
				'linkedin.com/in/jane-doe/',
				'https://www.linkedin.com/in/john-roe',
				'http://uk.linkedin.com/in/Jane-Doe?trk=x',
			]),
		).toEqual({
			ok: true,
			values: ['https://www.linkedin.com/in/jane-doe', 'https://www.linkedin.com/in/john-roe'],
		});
	});

	it('names the first value that is not valid, and why', () => {
		expect(normaliseAll('businessEmail', [' Jane@Acme.com ', 'not-an-email', 'also bad'])).toEqual({
			ok: false,
			value: 'not-an-email',
			reason: 'it is not a valid email address. Use an address such as jane@acme.com',
		});
	});

	it('gives no values for no values', () => {
		expect(normaliseAll('profileUrl', [])).toEqual({ ok: true, values: [] });
	});
});

describe('normaliseIdentifier: profile names found by the e2e bad-input matrix', () => {
	it('sends a name with composed and decomposed accents as one identifier (bought once)', () => {
		const composed = 'https://www.linkedin.com/in/J\u00fcrgen-M\u00fcller';
		const decomposed = composed.normalize('NFD');
		expect(decomposed).not.toBe(composed);
		const expected = { ok: true, value: 'https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller' };
		expect(normaliseIdentifier('profileUrl', composed)).toEqual(expected);
		expect(normaliseIdentifier('profileUrl', decomposed)).toEqual(expected);
		expect(normaliseIdentifier('profileUrl', 'linkedin.com/in/ju%CC%88rgen-mu%CC%88ller')).toEqual(
			expected,
		);
	});

	it('says a too-long profile name is too long, not that it holds bad characters', () => {
		expect(normaliseIdentifier('profileUrl', `linkedin.com/in/${'a'.repeat(101)}`)).toEqual({
			ok: false,
			reason: `its profile name is longer than 100 characters. ${HINT}`,
		});
		expect(normaliseIdentifier('profileUrl', `linkedin.com/in/${'a'.repeat(100)}`)).toEqual({
			ok: true,
			value: `https://www.linkedin.com/in/${'a'.repeat(100)}`,
		});
		// Counted in characters, not UTF-16 units or encoded bytes.
		expect(normaliseIdentifier('profileUrl', `linkedin.com/in/${'李'.repeat(100)}`)).toMatchObject({
			ok: true,
		});
	});

	it('still rejects a name with characters a profile address cannot hold', () => {
		expect(normaliseIdentifier('profileUrl', 'linkedin.com/in/jane.doe')).toEqual({
			ok: false,
			reason: `its profile name may only hold letters, digits and hyphens. ${HINT}`,
		});
	});
});
