// Turns what a user maps into the identifier field into a list of raw strings.
// The field is usually an expression, so it may resolve to text, a list or anything else.

export type ParsedInput = { ok: true; values: string[] } | { ok: false; reason: string };

// Commas, semicolons, whitespace and new lines separate values; none of them can occur in a
// profile URL slug or an email address.
const SEPARATORS = /[\s,;]+/;

/** Longest value quoted back in an error message, so a huge cell does not flood the UI. */
export const MAX_QUOTED_LENGTH = 80;

/** A value as an error message shows it: text in quotes, anything else as JSON, cut when long. */
export function quoteValue(value: unknown): string {
	let text: string;
	try {
		text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	} catch {
		text = String(value);
	}
	if (text.length > MAX_QUOTED_LENGTH) text = `${text.slice(0, MAX_QUOTED_LENGTH)}…`;
	return typeof value === 'string' ? `"${text}"` : text;
}

function describeType(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// An address list as mail programs and CRM exports write it: `Jane Doe <jane@acme.com>`, the
// display name perhaps quoted (`"Doe, Jane" <jane@acme.com>`). The name holds no `@`, so a plain
// address before it stays a value of its own.
const NAME_ADDRESS = /(?:"[^"]*"|[^,;<>"@\n])*<([^<>\s]+)>/g;

export interface ParseOptions {
	/** Read `Name <address>` as the address (email lists). */
	nameAddresses?: boolean;
}

function splitText(text: string, { nameAddresses }: ParseOptions): string[] {
	const plain = nameAddresses ? text.replace(NAME_ADDRESS, ' $1 ') : text;
	return plain.split(SEPARATORS).filter((part) => part !== '');
}

export function parseIdentifierInput(value: unknown, options: ParseOptions = {}): ParsedInput {
	if (value === undefined || value === null) return { ok: true, values: [] };
	if (typeof value === 'string') return { ok: true, values: splitText(value, options) };
	if (Array.isArray(value)) {
		const values: string[] = [];
		for (const element of value.flat(Infinity) as unknown[]) {
			if (element === null || element === undefined) continue;
			if (typeof element !== 'string') {
				return {
					ok: false,
					reason: `the list holds ${describeType(element)} (${quoteValue(element)}) where text was expected`,
				};
			}
			values.push(...splitText(element, options));
		}
		return { ok: true, values };
	}
	return {
		ok: false,
		reason: `the value is ${describeType(value)} (${quoteValue(value)}), not text or a list of text`,
	};
}
