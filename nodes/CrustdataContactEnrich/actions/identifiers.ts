import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ItemError } from '../pipeline/assembleItems';
import { failureOf } from '../pipeline/assembleItems';
import type { ItemIdentifiers } from '../pipeline/dedupe';
import { normaliseAll } from '../pipeline/normalise';
import { parseIdentifierInput, quoteValue } from '../pipeline/parseInput';
import type { IdentifierType } from '../types';

// Reads and validates every item's identifiers before anything is sent: an invalid value must
// never cost a credit, and without Continue On Fail the node stops before the first request.

const PARAMETER: Record<
	IdentifierType,
	{ name: string; label: string; noun: string; example: string }
> = {
	profileUrl: {
		name: 'profileUrls',
		label: 'Profile URLs',
		noun: 'profile URL',
		example: '{{ $json.linkedin_url }}',
	},
	businessEmail: {
		name: 'businessEmails',
		label: 'Business Emails',
		noun: 'business email',
		example: '{{ $json.email }}',
	},
};

export interface InvalidItem {
	itemIndex: number;
	error: NodeOperationError;
}

export interface CollectedIdentifiers {
	valid: ItemIdentifiers[];
	invalid: InvalidItem[];
}

const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

function itemProblem(
	itemIndex: number,
	type: IdentifierType,
	raw: unknown,
	blankIsNotSent: boolean,
): string | ItemIdentifiers {
	const { label, noun, example } = PARAMETER[type];
	const parsed = parseIdentifierInput(raw, { nameAddresses: type === 'businessEmail' });
	if (!parsed.ok) {
		return sentence(
			`Item ${itemIndex}: "${label}" cannot be read: ${parsed.reason}. Map it to text such as ${example}`,
		);
	}
	if (parsed.values.length === 0) {
		// "When an Item Has No Identifier: Not Sent": the item goes to the Not Sent output.
		if (blankIsNotSent) return { itemIndex, identifiers: [] };
		return `Item ${itemIndex} has no ${noun}: "${label}" is empty for this item. Map it to the field that holds it, such as ${example}, or remove the item before this node, or set "When an Item Has No Identifier" to "Send It to Not Sent" under Options.`;
	}
	const normalised = normaliseAll(type, parsed.values);
	if (!normalised.ok) {
		return sentence(
			`Item ${itemIndex}: ${quoteValue(normalised.value)} is not a valid ${noun}: ${normalised.reason}`,
		);
	}
	return { itemIndex, identifiers: normalised.values };
}

/**
 * Reads every item with `read`, which returns the item's value or, as a string, what is wrong
 * with it. A parameter whose expression throws is an error of that item too; `evaluated` names
 * it in that message.
 */
export function readEachItem<T>(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	evaluated: string,
	read: (itemIndex: number) => string | T,
): { valid: T[]; invalid: InvalidItem[] } {
	const valid: T[] = [];
	const invalid: InvalidItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let outcome: string | T;
		try {
			outcome = read(itemIndex);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			outcome = `Item ${itemIndex}: ${evaluated} could not be evaluated: ${reason}`;
		}
		if (typeof outcome === 'string') {
			invalid.push({
				itemIndex,
				error: new NodeOperationError(context.getNode(), outcome, { itemIndex }),
			});
		} else {
			valid.push(outcome);
		}
	}
	return { valid, invalid };
}

/**
 * Every item's identifiers, read and validated. An item with none is an error, or (with
 * `blankIsNotSent`) an item with an empty list, which goes to Not Sent.
 */
export function collectIdentifiers(
	context: IExecuteFunctions,
	items: INodeExecutionData[],
	type: IdentifierType,
	blankIsNotSent = false,
): CollectedIdentifiers {
	const { name, label } = PARAMETER[type];
	return readEachItem(context, items, `"${label}"`, (itemIndex) =>
		itemProblem(itemIndex, type, context.getNodeParameter(name, itemIndex, ''), blankIsNotSent),
	);
}

/** The error items of rejected input items. */
export function itemErrorsOf(invalid: InvalidItem[]): ItemError[] {
	return invalid.map(({ itemIndex, error }) => ({ itemIndex, ...failureOf(error) }));
}
