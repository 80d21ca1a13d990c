import { z } from 'zod';

import type { EnrichEntry, IdentifierType } from '../types';
import { normaliseIdentifier } from './normalise';

// Answers are documented as an array in request order, one entry per identifier sent, each naming
// the identifier it answers in `matched_on`. Parsing is tolerant (unknown keys kept, unrequested
// tiers absent or null, `matched_on` may be missing) but the skeleton must be there.

const matchSchema = z
	.object({
		confidence_score: z.number().nullable().optional(),
		person_data: z.record(z.unknown()).nullable().optional(),
	})
	.passthrough();

const entrySchema = z
	.object({
		matched_on: z.string().nullable().optional(),
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
		matched_on: entry.matched_on ?? '',
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

/**
 * Pairs entries with the identifiers sent by identity: each entry with the identifier its
 * `matched_on` names, compared after the same normalisation as the input (so another spelling of
 * the same identifier still pairs, and another order never puts one person's data on another).
 * Position is the fallback only for an entry whose `matched_on` is missing or names nothing that
 * was sent: it answers the identifier at its own position, if that one is still unanswered.
 */
export function mapEntriesToIdentifiers(
	sent: string[],
	entries: EnrichEntry[],
	type: IdentifierType,
): MappedAnswers {
	const answered = new Map<string, EnrichEntry>();
	const unnamed: number[] = [];
	const wanted = new Set(sent);
	entries.forEach((entry, position) => {
		const named = normaliseIdentifier(type, entry.matched_on);
		if (named.ok && wanted.has(named.value) && !answered.has(named.value)) {
			answered.set(named.value, entry);
		} else if (!named.ok || !wanted.has(named.value)) {
			unnamed.push(position);
		}
	});
	for (const position of unnamed) {
		const identifier = sent[position];
		if (identifier !== undefined && !answered.has(identifier))
			answered.set(identifier, entries[position]);
	}
	return { answered, missing: sent.filter((identifier) => !answered.has(identifier)) };
}

/** A 404 on enrich means nothing matched in the whole request (older API behaviour). */
export function noMatchEntries(sent: string[], matchType: string): EnrichEntry[] {
	return sent.map((identifier) => ({ matched_on: identifier, match_type: matchType, matches: [] }));
}
