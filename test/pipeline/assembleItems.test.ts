import type { IdentifierOutcome } from '../../nodes/CrustdataContactEnrich/pipeline/assembleItems';
import {
	assembleItems,
	eachAnswer,
} from '../../nodes/CrustdataContactEnrich/pipeline/assembleItems';
import type { ShapeOptions } from '../../nodes/CrustdataContactEnrich/pipeline/shapeOutput';
import { shapeEntry } from '../../nodes/CrustdataContactEnrich/pipeline/shapeOutput';
import type { EnrichEntry } from '../../nodes/CrustdataContactEnrich/types';

const shape: ShapeOptions = {
	identifierType: 'businessEmail',
	simplify: true,
	includeUnmatched: false,
	emailStatuses: [],
	minConfidence: 0,
};

const answered = (id: string, personIds: number[]): IdentifierOutcome<EnrichEntry> => ({
	kind: 'answered',
	answer: {
		matched_on: id,
		match_type: 'business_email',
		matches: personIds.map((personId) => ({
			confidence_score: 0.9,
			person_data: { crustdata_person_id: personId },
		})),
	},
});

describe('assembleItems', () => {
	it('pairs every output with the item its identifier came from, shared identifiers included', () => {
		const failure = {
			message: 'Crustdata had a server error (500) after 4 retries: try again later',
		};
		const outcomes = new Map<string, IdentifierOutcome<EnrichEntry>>([
			['a@x.com', answered('a@x.com', [1, 2])],
			['b@x.com', { kind: 'failed', failure }],
			['c@x.com', answered('c@x.com', [3])],
		]);
		const { main: items } = assembleItems(
			[
				{ itemIndex: 0, identifiers: ['a@x.com', 'b@x.com'] },
				{ itemIndex: 2, identifiers: ['a@x.com'] },
				{ itemIndex: 3, identifiers: ['c@x.com'] },
			],
			[{ itemIndex: 1, message: 'Item 1: "x" is not a valid business email: no.' }],
			outcomes,
			eachAnswer((identifier, entry: EnrichEntry) => shapeEntry(identifier, entry, shape)),
		);
		expect(items.map((item) => [item.pairedItem, item.json.personId ?? item.json.error])).toEqual([
			[{ item: 0 }, 1],
			[{ item: 0 }, 2],
			[{ item: 0 }, failure.message],
			[{ item: 1 }, 'Item 1: "x" is not a valid business email: no.'],
			[{ item: 2 }, 1],
			[{ item: 2 }, 2],
			[{ item: 3 }, 3],
		]);
		expect(items[2].json).toEqual({
			error: failure.message,
			details: { identifiers: ['b@x.com'] },
		});
	});
});
