import { dedupeIdentifiers } from '../../nodes/CrustdataContactEnrich/pipeline/dedupe';

describe('dedupeIdentifiers', () => {
	it('keeps each identifier once, in first-seen order, with every item that carries it', () => {
		const { distinct, owners } = dedupeIdentifiers([
			{ itemIndex: 0, identifiers: ['a', 'b'] },
			{ itemIndex: 1, identifiers: ['b'] },
			{ itemIndex: 3, identifiers: ['c', 'a'] },
		]);
		expect(distinct).toEqual(['a', 'b', 'c']);
		expect(Object.fromEntries(owners)).toEqual({ a: [0, 3], b: [0, 1], c: [3] });
	});
});
