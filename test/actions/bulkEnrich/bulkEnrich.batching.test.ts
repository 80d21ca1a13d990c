import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { runNode } from '../../integration/harness';
import { bulkOptions, fakeBatch, FILES, profile, urlItems } from '../../fakes/batch';

const pairedIndex = (item: { pairedItem?: unknown }) => (item.pairedItem as { item: number }).item;

describe('bulkEnrich: jobs across items', () => {
	it('sends 700 distinct URLs as jobs of 300, 300 and 100 and pairs every result to its item', async () => {
		const batch = fakeBatch();
		const values: unknown[] = [];
		for (let i = 0; i < 700; i++) values.push(profile(`person-${i}`));
		// Other spellings of URLs already in the list: sent once, answered for both items.
		values.push('http://uk.linkedin.com/in/PERSON-3/?trk=x', 'linkedin.com/in/person-699/');

		const { output, hints, downstream } = await runNode(
			bulkOptions(
				{ fields: ['contact.business_emails', 'contact.phone_numbers'] },
				urlItems(values),
				{ downstreamExpression: "={{ $('Input').item.json.url }}" },
			),
		);

		expect(
			batch.submits.map((body) => (body.professional_network_profile_urls as string[]).length),
		).toEqual([300, 300, 100]);
		expect(batch.submits[0]).toEqual({
			professional_network_profile_urls: values.slice(0, 300),
			fields: ['business_email', 'personal_contact_info.phone_numbers'],
		});
		// The pre-signed URL carries its own signature: no API key may go along.
		expect(batch.fileAuth).toEqual([undefined, undefined, undefined]);

		const items = output[0];
		expect(items).toHaveLength(702);
		expect(items.map(pairedIndex)).toEqual(values.map((_, index) => index));
		expect(items[701].json).toMatchObject({ identifier: profile('person-699'), matched: true });
		expect(items[0].json).toEqual({
			identifier: profile('person-0'),
			identifierType: 'profileUrl',
			matched: true,
			matchRank: 1,
			personId: 'id-person-0',
			confidence: 1,
			businessEmail: 'person-0@acme.example',
			businessEmailStatus: 'deliverable',
			personalEmail: null,
			phoneNumber: '+15555550123',
			businessEmails: ['person-0@acme.example'],
			personalEmails: [],
			phoneNumbers: ['+15555550123'],
			websites: [],
			businessEmailsMessage: null,
		});
		// A downstream `$('Input').item` resolves through the node's pairedItem.
		expect(downstream).toEqual(values);
		expect(hints.map((hint) => hint.message)).toContainEqual(
			// Batch jobs report no credits: the hint says what they do tell, never "0 credits".
			'Crustdata: 3 batch jobs for 700 distinct profile URLs, 700 records returned, 700 matched, 0 unmatched. Batch jobs do not report the credits they use: see the usage in your Crustdata account.',
		);
	});

	it('never holds more than 5 active jobs: the sixth chunk waits for a slot', async () => {
		const batch = fakeBatch({ pollsBeforeDone: 2 });
		const values = Array.from({ length: 1900 }, (_, i) => profile(`p-${i}`));

		const { output } = await runNode(bulkOptions({}, urlItems(values)));

		expect(batch.jobs).toHaveLength(7);
		expect(batch.maxSeenActive).toBe(5);
		expect(batch.rejected429).toBe(0);
		expect(output[0]).toHaveLength(1900);
	});

	it('waits and retries when the account is full (429 on submit) and loses nothing', async () => {
		// Other workflows hold the account's slots for the first two tries.
		const batch = fakeBatch({ busySubmits: [1, 2] });
		const values = [profile('ada'), profile('grace')];

		const { output } = await runNode(bulkOptions({}, urlItems(values)));

		expect(batch.submits).toHaveLength(3);
		expect(batch.jobs).toHaveLength(1);
		expect(output[0].map((item) => item.json.businessEmail)).toEqual([
			'ada@acme.example',
			'grace@acme.example',
		]);
	});

	it('maps the flat record layout like the envelope, and a 404 file as an empty result', async () => {
		fakeBatch({ layout: 'flat' });
		const flat = await runNode(
			bulkOptions({ fields: ['contact.personal_emails'] }, urlItems([profile('ada')])),
		);
		expect(flat.output[0][0].json).toMatchObject({
			personId: 'id-ada',
			personalEmail: 'ada@home.example',
			businessEmail: null,
		});

		nock.cleanAll();
		fakeBatch({ missingFiles: [1] });
		const empty = await runNode(
			bulkOptions(
				{ options: { includeUnmatched: true } },
				urlItems([profile('nomatch-1'), profile('nomatch-2')]),
			),
		);
		expect(empty.output[0].map((item) => [pairedIndex(item), item.json.matched])).toEqual([
			[0, false],
			[1, false],
		]);
	});

	it('honours includeUnmatched and the raw shape like Enrich', async () => {
		fakeBatch();
		const { output } = await runNode(
			bulkOptions(
				{ simplify: false, options: { includeUnmatched: true } },
				urlItems([`${profile('ada')}, ${profile('nomatch-x')}`]),
			),
		);
		expect(output[0].map((item) => item.json)).toEqual([
			{
				matched_on: profile('ada'),
				match_type: 'professional_network_profile_url',
				confidence_score: 1,
				person_data: {
					crustdata_person_id: 'id-ada',
					contact: {
						business_emails: [{ email: 'ada@acme.example', status: 'deliverable' }],
						personal_emails: [],
						phone_numbers: [],
					},
				},
			},
			{
				matched_on: profile('nomatch-x'),
				match_type: 'professional_network_profile_url',
				matches: [],
			},
		]);
		expect(output[0].map(pairedIndex)).toEqual([0, 0]);
	});

	it('asks for files only at the storage host', async () => {
		const batch = fakeBatch();
		await runNode(bulkOptions({}, urlItems([profile('ada')])));
		expect(batch.fileAuth).toHaveLength(1);
		expect(FILES).not.toContain('api.crustdata');
		expect((batch.submits[0] as IDataObject).verified).toBeUndefined();
	});
});
