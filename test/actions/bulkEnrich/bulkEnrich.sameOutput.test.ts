import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../integration/harness';
import { API, bulkOptions, fakeBatch, personFor, profile, urlItems } from './fakeBatch';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

// Enrich answers from the same people the batch fake knows, one match at confidence 1.
function fakeEnrich(): void {
	nock(API)
		.post('/person/contact/enrich')
		.times(100)
		.reply((_path, body) => {
			const urls = (body as IDataObject).professional_network_profile_urls as string[];
			return [
				200,
				urls.map((url) => {
					const person = personFor(url);
					const matches = person
						? [
								{
									confidence_score: 1,
									person_data: {
										crustdata_person_id: person.crustdata_person_id,
										contact: {
											business_emails: person.business_emails,
											personal_emails: person.personal_emails,
											phone_numbers: person.phone_numbers,
										},
									},
								},
							]
						: [];
					return { matched_on: url, match_type: 'professional_network_profile_url', matches };
				}),
			];
		});
}

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
		fakeEnrich();
		const enriched = await outputOf('enrich', { fields, ...parameters });
		fakeBatch();
		const bulk = await outputOf('bulkEnrich', { fields, ...parameters });

		expect(bulk).toEqual(enriched);
		expect(bulk[0].length).toBeGreaterThan(2);
		expect(bulk[1]).toHaveLength(1);
	});
});
