import { normaliseIdentifier } from '../../nodes/CrustdataContactEnrich/pipeline/normalise';

const HINT = 'Use a profile URL such as https://www.linkedin.com/in/jane-doe.';

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
