import { MAX_IDENTIFIERS_PER_REQUEST } from '../transport/limits';

/** Splits values into consecutive groups of at most `size`, as evenly ordered as given. */
export function chunk<T>(values: readonly T[], size: number = MAX_IDENTIFIERS_PER_REQUEST): T[][] {
	if (!Number.isInteger(size) || size < 1)
		throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < values.length; start += size) {
		chunks.push(values.slice(start, start + size));
	}
	return chunks;
}
