import { z } from 'zod';

import type { EnrichEntry } from '../types';

// Answers come back as an array in request order: one entry per identifier sent. Parsing is
// tolerant (unknown keys kept, unrequested tiers absent or null) but the skeleton must be there.

const matchSchema = z
	.object({
		confidence_score: z.number().nullable().optional(),
		person_data: z.record(z.unknown()).nullable().optional(),
	})
	.passthrough();

const entrySchema = z
	.object({
		matched_on: z.string(),
		match_type: z.string().optional(),
		matches: z.array(matchSchema).nullable().optional(),
	})
	.passthrough();

const responseSchema = z.array(entrySchema);

export function parseEnrichResponse(body: unknown): EnrichEntry[] | undefined {
	const parsed = responseSchema.safeParse(body);
	if (!parsed.success) return undefined;
	return parsed.data.map((entry) => ({
		...entry,
		match_type: entry.match_type ?? '',
		matches: (entry.matches ?? []).map((match) => ({
			...match,
			confidence_score: match.confidence_score ?? null,
			person_data: match.person_data ?? {},
		})),
	}));
}

export interface MappedAnswers {
	answered: Map<string, EnrichEntry>;
	/** Identifiers sent that got no entry back. */
	missing: string[];
}

const sameIdentifier = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Pairs entries with the identifiers sent: by position when the counts agree (the documented
 * contract), else by `matched_on`, so a short answer never shifts results onto the wrong person.
 */
export function mapEntriesToIdentifiers(sent: string[], entries: EnrichEntry[]): MappedAnswers {
	const answered = new Map<string, EnrichEntry>();
	if (entries.length === sent.length) {
		sent.forEach((identifier, position) => answered.set(identifier, entries[position]));
		return { answered, missing: [] };
	}
	for (const identifier of sent) {
		const entry = entries.find((candidate) => sameIdentifier(candidate.matched_on, identifier));
		if (entry !== undefined) answered.set(identifier, entry);
	}
	return { answered, missing: sent.filter((identifier) => !answered.has(identifier)) };
}

/** A 404 on enrich means nothing matched in the whole request (older API behaviour). */
export function noMatchEntries(sent: string[], matchType: string): EnrichEntry[] {
	return sent.map((identifier) => ({ matched_on: identifier, match_type: matchType, matches: [] }));
}
