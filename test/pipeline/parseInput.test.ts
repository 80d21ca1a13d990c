import {
	parseIdentifierInput,
	quoteValue,
} from '../../nodes/CrustdataContactEnrich/pipeline/parseInput';

describe('parseIdentifierInput', () => {
	it.each([
		['one value', 'https://linkedin.com/in/a', ['https://linkedin.com/in/a']],
		['commas', 'a@x.com,b@x.com', ['a@x.com', 'b@x.com']],
		['semicolons and spaces', ' a@x.com ;  b@x.com ', ['a@x.com', 'b@x.com']],
		['new lines and tabs', 'a@x.com\n\tb@x.com\r\nc@x.com', ['a@x.com', 'b@x.com', 'c@x.com']],
		['an empty string', '', []],
		['only separators', ' ,; \n', []],
		['undefined', undefined, []],
		['null', null, []],
		['an array', ['a@x.com', 'b@x.com'], ['a@x.com', 'b@x.com']],
		['a nested array', [['a@x.com'], [['b@x.com, c@x.com']]], ['a@x.com', 'b@x.com', 'c@x.com']],
		['an array with nulls', ['a@x.com', null, undefined], ['a@x.com']],
	])('splits %s', (_label, input, expected) => {
		expect(parseIdentifierInput(input)).toEqual({ ok: true, values: expected });
	});

	it.each([
		['a number', 42, 'the value is a number (42), not text or a list of text'],
		['a boolean', true, 'the value is a boolean (true), not text or a list of text'],
		['an object', { url: 'x' }, 'the value is an object ({"url":"x"}), not text or a list of text'],
		['a number in a list', ['a@x.com', 7], 'the list holds a number (7) where text was expected'],
		['an object in a list', [{}], 'the list holds an object ({}) where text was expected'],
	])('rejects %s', (_label, input, reason) => {
		expect(parseIdentifierInput(input)).toEqual({ ok: false, reason });
	});
});

describe('quoteValue', () => {
	it('cuts long values so an error message stays readable', () => {
		expect(quoteValue('x'.repeat(200))).toBe(`"${'x'.repeat(80)}…"`);
	});
});
