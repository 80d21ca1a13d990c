import { runNode } from '../../integration/harness';
import { answerAll, enrichOptions, fakeCrustdata, items } from '../../fakes/crustdata';

const profile = (slug: string) => `https://www.linkedin.com/in/${slug}`;

// 60 items: 40 distinct people, 10 repeats in other spellings, 5 bad rows, 5 items carrying two URLs.
function sixtyItems(): unknown[] {
	const values: unknown[] = [];
	for (let i = 0; i < 40; i++) values.push(profile(`person-${i}`));
	for (let i = 0; i < 10; i++) values.push(`http://uk.linkedin.com/in/PERSON-${i}/?trk=x`);
	values.push(
		'https://www.linkedin.com/company/acme',
		'jane@acme.com',
		'',
		42,
		'linkedin.com/in/jane.doe',
	);
	for (let i = 0; i < 5; i++)
		values.push(`linkedin.com/in/extra-${i}, linkedin.com/in/person-${i}`);
	return values;
}

describe('enrich: batching across items', () => {
	it('sends each distinct URL once, in requests of at most 25, and pairs every output to its item', async () => {
		const calls = fakeCrustdata();
		const { output } = await runNode(
			enrichOptions({ profileUrls: '={{ $json.url }}' }, items(sixtyItems()), {
				onError: 'continueErrorOutput',
			}),
		);

		const distinct = [
			...Array.from({ length: 40 }, (_, i) => profile(`person-${i}`)),
			...Array.from({ length: 5 }, (_, i) => profile(`extra-${i}`)),
		];
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 20]);
		expect(calls.flatMap((call) => call.identifiers)).toEqual(distinct);
		expect(calls[0].body).toEqual({
			professional_network_profile_urls: distinct.slice(0, 25),
			fields: ['contact.business_emails'],
		});

		const [success, errors] = output;
		const expected: Array<[number, string]> = [];
		for (let i = 0; i < 40; i++) expected.push([i, profile(`person-${i}`)]);
		for (let i = 0; i < 10; i++) expected.push([40 + i, profile(`person-${i}`)]);
		for (let i = 0; i < 5; i++)
			expected.push([55 + i, profile(`extra-${i}`)], [55 + i, profile(`person-${i}`)]);
		expect(
			success.map((item) => [(item.pairedItem as { item: number }).item, item.json.identifier]),
		).toEqual(expected);
		expect(success[0].json.businessEmail).toBe('person-0.1@acme.example');

		expect(
			errors.map((item) => [(item.pairedItem as { item: number }).item, item.json.error]),
		).toEqual([
			[
				50,
				`Item 50: "https://www.linkedin.com/company/acme" is not a valid profile URL: it is a LinkedIn company page, not a person's profile. Use a profile URL such as https://www.linkedin.com/in/jane-doe.`,
			],
			[
				51,
				'Item 51: "jane@acme.com" is not a valid profile URL: it is an email address. Set "Identify By" to "Business Email" to look up emails.',
			],
			[
				52,
				'Item 52 has no profile URL: "Profile URLs" is empty for this item. Map it to the field that holds it, such as {{ $json.linkedin_url }}, or remove the item before this node, or set "When an Item Has No Identifier" to "Send It to Not Sent" under Options.',
			],
			[
				53,
				'Item 53: "Profile URLs" cannot be read: the value is a number (42), not text or a list of text. Map it to text such as {{ $json.linkedin_url }}.',
			],
			[
				54,
				'Item 54: "linkedin.com/in/jane.doe" is not a valid profile URL: its profile name may only hold letters, digits and hyphens. Use a profile URL such as https://www.linkedin.com/in/jane-doe.',
			],
		]);
	});

	it('stops before the first request when an item is invalid and errors are not continued', async () => {
		const calls = fakeCrustdata();
		await expect(
			runNode(enrichOptions({ profileUrls: '={{ $json.url }}' }, items(sixtyItems()))),
		).rejects.toThrow(
			`Item 50: "https://www.linkedin.com/company/acme" is not a valid profile URL`,
		);
		expect(calls).toEqual([]);
	});

	it('takes a list in one field and an array from an expression, with more than 25 in one item', async () => {
		const calls = fakeCrustdata();
		const urls = Array.from({ length: 30 }, (_, i) => profile(`p${i}`));
		const { output } = await runNode(
			enrichOptions({ profileUrls: '={{ $json.urls }}' }, [
				{ json: { urls } },
				{ json: { urls: `${urls[0]}; ${urls[1]}\n${urls[29]}` } },
			]),
		);
		expect(calls.map((call) => call.identifiers.length)).toEqual([25, 5]);
		expect(
			output[0].filter((item) => (item.pairedItem as { item: number }).item === 0),
		).toHaveLength(30);
		expect(
			output[0]
				.filter((item) => (item.pairedItem as { item: number }).item === 1)
				.map((item) => item.json.identifier),
		).toEqual([urls[0], urls[1], urls[29]]);
	});

	it('keeps the downstream $("Input").item resolvable for every output', async () => {
		fakeCrustdata(answerAll);
		const { downstream } = await runNode({
			...enrichOptions(
				{ profileUrls: '={{ $json.url }}' },
				items([profile('a'), profile('b'), profile('a')]),
			),
			downstreamExpression: '={{ $("Input").item.json.url }}',
		});
		expect(downstream).toEqual([profile('a'), profile('b'), profile('a')]);
	});

	it('sends nothing when there is no item', async () => {
		const calls = fakeCrustdata();
		const { output } = await runNode(enrichOptions({ profileUrls: '={{ $json.url }}' }, []));
		expect(calls).toEqual([]);
		expect(output[0] ?? []).toEqual([]);
	});
});
