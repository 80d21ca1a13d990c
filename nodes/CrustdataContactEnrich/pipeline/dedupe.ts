// Every distinct identifier is sent once per execution, however many items carry it.

export interface ItemIdentifiers {
	itemIndex: number;
	/** Normalised, without duplicates inside the item. */
	identifiers: string[];
}

export interface DistinctIdentifiers {
	/** In order of first appearance, so requests follow the input. */
	distinct: string[];
	/** Identifier → indexes of the items that carry it, ascending. */
	owners: Map<string, number[]>;
}

export function uniqueValues(values: string[]): string[] {
	return [...new Set(values)];
}

export function dedupeIdentifiers(items: ItemIdentifiers[]): DistinctIdentifiers {
	const owners = new Map<string, number[]>();
	for (const { itemIndex, identifiers } of items) {
		for (const identifier of identifiers) {
			const carriers = owners.get(identifier);
			if (carriers === undefined) owners.set(identifier, [itemIndex]);
			else if (carriers[carriers.length - 1] !== itemIndex) carriers.push(itemIndex);
		}
	}
	return { distinct: [...owners.keys()], owners };
}
