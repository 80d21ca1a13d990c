import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../integration/harness';
import { answerFromPeople, bulkOptions, fakeBatch, profile, urlItems } from '../../fakes/batch';
import { fakeEnrich } from '../../fakes/crustdata';

const values = [
	`${profile('ada')}; ${profile('nomatch-1')}`,
	'http://uk.linkedin.com/in/GRACE/',
	profile('ada'),
	'https://www.linkedin.com/company/acme',
];

async function outputOf(
	operation: string,
	parameters: IDataObject,
): Promise<INodeExecutionData[][]> {
	const options = bulkOptions({ operation, ...parameters }, urlItems(values), {
		onError: 'continueErrorOutput',
	});
	if (operation === 'enrich') options.parameters.identifyBy = 'profileUrl';
	const { output } = await runNode(options);
	return output;
}

describe('bulkEnrich output equals enrich output', () => {
	it.each([
		['simplified', { simplify: true }],
		['raw', { simplify: false }],
		['with unmatched', { options: { includeUnmatched: true } }],
	])('for the same input, %s', async (_label, parameters) => {
		const fields = ['contact.business_emails', 'contact.personal_emails', 'contact.phone_numbers'];
		fakeEnrich({ replies: [answerFromPeople] });
		const enriched = await outputOf('enrich', { fields, ...parameters });
		fakeBatch();
		const bulk = await outputOf('bulkEnrich', { fields, ...parameters });

		expect(bulk).toEqual(enriched);
		expect(bulk[0].length).toBeGreaterThan(2);
		expect(bulk[1]).toHaveLength(1);
	});
});
