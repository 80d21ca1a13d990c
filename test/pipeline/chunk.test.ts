import { chunk } from '../../nodes/CrustdataContactEnrich/pipeline/chunk';
import { MAX_IDENTIFIERS_PER_REQUEST } from '../../nodes/CrustdataContactEnrich/transport/limits';

describe('chunk', () => {
	it('sends at most 25 per request', () => {
		expect(MAX_IDENTIFIERS_PER_REQUEST).toBe(25);
		const values = Array.from({ length: 60 }, (_, index) => index);
		expect(chunk(values).map((group) => group.length)).toEqual([25, 25, 10]);
		expect(chunk(values).flat()).toEqual(values);
	});

	it.each([
		['nothing', 0, []],
		['exactly one request', 25, [25]],
		['one more than a request', 26, [25, 1]],
	])('splits %s', (_label, length, sizes) => {
		expect(chunk(Array.from({ length }, () => 'x')).map((group) => group.length)).toEqual(sizes);
	});

	it('refuses a size that would loop forever', () => {
		expect(() => chunk([1], 0)).toThrow('chunk size must be a positive integer, got 0');
	});
});
