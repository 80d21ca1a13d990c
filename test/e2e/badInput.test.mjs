// The bad input matrix of "Nothing lost, nothing bought twice", inside a real n8n: whatever an
// expression hands the node, each item gets a clear error of its own or a correct result, the
// node never crashes, and no credit is spent on an invalid value. One workflow with three branches:
// - Urls: every odd value in profile URL mode (error output on);
// - Emails: the same for business emails;
// - Big: 10,000 items from a Code node, valid, invalid and duplicated;
// and beside it, in a second workflow run at the same time, an invalid value without Continue On
// Fail (Stop).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
	enrichRequests,
	executeConcurrently,
	explain,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEY = 'Bi-e2e-badinput-6f2c8a1e4d9b7c35e0f1';
const BUDGET = 1_000_000;
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(2, '0');
const URL_EXAMPLE = '{{ $json.linkedin_url }}';
const EMAIL_EXAMPLE = '{{ $json.email }}';
const HINT = 'Use a profile URL such as https://www.linkedin.com/in/jane-doe.';

const notUrl = (i, value, reason) => `Item ${i}: "${value}" is not a valid profile URL: ${reason}`;
const notEmail = (i, value, reason) =>
	`Item ${i}: "${value}" is not a valid business email: ${reason}`;
const unreadable = (i, label, reason, example) =>
	`Item ${i}: "${label}" cannot be read: ${reason}. Map it to text such as ${example}.`;
const noUrl = (i) =>
	`Item ${i} has no profile URL: "Profile URLs" is empty for this item. Map it to the field that holds it, such as ${URL_EXAMPLE}, or remove the item before this node, or set "When an Item Has No Identifier" to "Send It to Not Sent" under Options.`;
const noEmail = (i) =>
	`Item ${i} has no business email: "Business Emails" is empty for this item. Map it to the field that holds it, such as ${EMAIL_EXAMPLE}, or remove the item before this node, or set "When an Item Has No Identifier" to "Send It to Not Sent" under Options.`;
const quoted80 = (text) => `${text.slice(0, 80)}…`;

const JURGEN = 'J\u00fcrgen-M\u00fcller-bi'; // composed ü
const JURGEN_SENT = url('j%C3%BCrgen-m%C3%BCller-bi');
const ZHANG = '\u5f20\u4f1f-8a9b'; // 张伟-8a9b
const ZHANG_SENT = url(encodeURIComponent(ZHANG));
const LONG_URL = url('a'.repeat(3000));
const LONG_SLUG = url('b'.repeat(150));
const MANY = Array.from({ length: 30 }, (_, k) => url(`bi-many-${pad(k)}`));
const NEST = [1, 2, 3].map((k) => url(`bi-nest-${k}`));

/**
 * Profile URL mode: [value, what the item gives]. `ok` lists the identifiers its results carry
 * (in order), `error` its exact message.
 */
const URL_CASES = [
	[null, { error: noUrl(0) }],
	[
		42,
		{
			error: unreadable(
				1,
				'Profile URLs',
				'the value is a number (42), not text or a list of text',
				URL_EXAMPLE,
			),
		},
	],
	[
		{ url: url('jane-doe') },
		{
			error: unreadable(
				2,
				'Profile URLs',
				`the value is an object ({"url":"${url('jane-doe')}"}), not text or a list of text`,
				URL_EXAMPLE,
			),
		},
	],
	['', { error: noUrl(3) }],
	[' \t\n  ', { error: noUrl(4) }],
	[LONG_URL, { error: notUrl(5, quoted80(LONG_URL), 'it is longer than 2048 characters.') }],
	[
		LONG_SLUG,
		{
			error: notUrl(
				6,
				quoted80(LONG_SLUG),
				`its profile name is longer than 100 characters. ${HINT}`,
			),
		},
	],
	[url(JURGEN), { ok: [JURGEN_SENT] }],
	[url(JURGEN.normalize('NFD')), { ok: [JURGEN_SENT] }], // the same name, decomposed: bought once
	[`https://www.linkedin.com/in/${ZHANG}/`, { ok: [ZHANG_SENT] }],
	[[[NEST[0], [NEST[1]]], [[['linkedin.com/in/BI-NEST-3/']]]], { ok: NEST }],
	[
		[NEST[0], [[7]]],
		{
			error: unreadable(
				11,
				'Profile URLs',
				'the list holds a number (7) where text was expected',
				URL_EXAMPLE,
			),
		},
	],
	[
		'jane.doe@acme.com',
		{
			error: notUrl(
				12,
				'jane.doe@acme.com',
				'it is an email address. Set "Identify By" to "Business Email" to look up emails.',
			),
		},
	],
	[
		'https://www.linkedin.com/company/acme-corp/',
		{
			error: notUrl(
				13,
				'https://www.linkedin.com/company/acme-corp/',
				`it is a LinkedIn company page, not a person's profile. ${HINT}`,
			),
		},
	],
	[
		'https://www.linkedin.com/posts/jane-doe_launch-activity-7123456789',
		{
			error: notUrl(
				14,
				'https://www.linkedin.com/posts/jane-doe_launch-activity-7123456789',
				`it is a LinkedIn post, not a person's profile. ${HINT}`,
			),
		},
	],
	[
		'https://www.linkedin.com/feed/update/urn:li:activity:7123456789/',
		{
			error: notUrl(
				15,
				'https://www.linkedin.com/feed/update/urn:li:activity:7123456789/',
				`it is a LinkedIn post, not a person's profile. ${HINT}`,
			),
		},
	],
	[
		'https://www.linkedin.com/pub/jane-doe/1/2/3',
		{
			error: notUrl(
				16,
				'https://www.linkedin.com/pub/jane-doe/1/2/3',
				`it is an old-style public profile address (/pub/…), not a person's profile. ${HINT}`,
			),
		},
	],
	// More than 25 in one item: split over two requests, every result paired to this item.
	[MANY.map((u, k) => (k % 2 ? u : u.replace('https://www.', ''))).join(',\n; '), { ok: MANY }],
	[
		true,
		{
			error: unreadable(
				18,
				'Profile URLs',
				'the value is a boolean (true), not text or a list of text',
				URL_EXAMPLE,
			),
		},
	],
	// One bad value rejects the whole item: its good one is not bought either.
	[
		`linkedin.com/in/bi-mixed-ok, https://www.linkedin.com/school/mit`,
		{
			error: notUrl(
				19,
				'https://www.linkedin.com/school/mit',
				`it is a LinkedIn school page, not a person's profile. ${HINT}`,
			),
		},
	],
	[undefined, { error: noUrl(20) }], // the field is missing from the item
	[
		'https://www.google.com/in/jane-doe',
		{
			error: notUrl(21, 'https://www.google.com/in/jane-doe', `it is not a LinkedIn URL. ${HINT}`),
		},
	],
	['HTTP://UK.LINKEDIN.COM/IN/BI-NEST-1?trk=x', { ok: [NEST[0]] }], // item 10's person again
];

const LONG_EMAIL = `${'a'.repeat(300)}@acme.com`;
const EMAIL_CASES = [
	[
		url('jane-doe'),
		{
			error: notEmail(
				0,
				url('jane-doe'),
				'it is a URL. Set "Identify By" to "Profile URL" to look up LinkedIn profiles.',
			),
		},
	],
	[' MAILTO:Solo.Kappa@Acme.com ', { ok: ['solo.kappa@acme.com'] }],
	// An internationalised address (RFC 6531) is valid: its domain goes out in punycode.
	['j\u00fcrgen@m\u00fcller.de', { ok: ['j\u00fcrgen@xn--mller-kva.de'] }],
	[LONG_EMAIL, { error: notEmail(3, quoted80(LONG_EMAIL), 'it is longer than 254 characters.') }],
	[
		'jane@',
		{
			error: notEmail(
				4,
				'jane@',
				'it is not a valid email address. Use an address such as jane@acme.com.',
			),
		},
	],
	[
		12345,
		{
			error: unreadable(
				5,
				'Business Emails',
				'the value is a number (12345), not text or a list of text',
				EMAIL_EXAMPLE,
			),
		},
	],
	['   ', { error: noEmail(6) }],
	[
		'linkedin.com/in/jane-doe',
		{
			error: notEmail(
				7,
				'linkedin.com/in/jane-doe',
				'it is a URL. Set "Identify By" to "Profile URL" to look up LinkedIn profiles.',
			),
		},
	],
	[
		['solo.lambda@globex.com', ['SOLO.KAPPA@acme.com', 'nomatch.mu@acme.com']],
		{ ok: ['solo.lambda@globex.com', 'solo.kappa@acme.com'] },
	], // nomatch.mu: no match, no item,
];

// 10,000 items, built by this function inside the Code node (its source is copied there) and
// here for the expectations. Every tenth item is invalid in one of five ways; the others carry one
// of 2,250 distinct profiles (every seventh one unknown to Crustdata), in four spellings.
function bigItem(i) {
	if (i % 10 === 0) {
		const bad = [null, i, `https://www.linkedin.com/company/big-${i}`, `big${i}@acme.com`, '   '];
		return { i, value: bad[(i / 10) % 5] };
	}
	const j = i % 2500;
	const slug = j % 7 === 0 ? `nomatch-big-${j}` : `big-${j}`;
	const spellings = [
		`https://www.linkedin.com/in/${slug}`,
		`http://linkedin.com/in/${slug}/`,
		`https://uk.linkedin.com/in/${slug}?trk=x`,
		`www.linkedin.com/in/${slug.toUpperCase()}`,
	];
	return { i, value: spellings[Math.floor(i / 2500)] };
}
const BIG = 10_000;
const bigSlug = (i) => ((i % 2500) % 7 === 0 ? `nomatch-big-${i % 2500}` : `big-${i % 2500}`);
function bigError(i) {
	const kind = (i / 10) % 5;
	if (kind === 0 || kind === 4) return noUrl(i);
	if (kind === 1)
		return unreadable(
			i,
			'Profile URLs',
			`the value is a number (${i}), not text or a list of text`,
			URL_EXAMPLE,
		);
	if (kind === 2)
		return notUrl(
			i,
			`https://www.linkedin.com/company/big-${i}`,
			`it is a LinkedIn company page, not a person's profile. ${HINT}`,
		);
	return notUrl(
		i,
		`big${i}@acme.com`,
		'it is an email address. Set "Identify By" to "Business Email" to look up emails.',
	);
}

/** The identifiers each item's results carry, in order, for cases of [value, outcome]. */
const okLines = (cases) =>
	cases.flatMap(([, outcome], i) => (outcome.ok ?? []).map((id) => `${i} ${id}`));
const errorLines = (cases) =>
	cases.flatMap(([, outcome], i) => (outcome.error ? [[[i], outcome.error]] : []));
const distinctOk = (cases) => [...new Set(cases.flatMap(([, outcome]) => outcome.ok ?? []))];
const spent = (requests) => requests.reduce((sum, r) => sum + r.creditsUsed, 0);

/** Exactly these identifiers went out, each once (in whatever order the requests went). */
function assertSentOnce(requests, expected) {
	const sent = requests.flatMap((r) => r.identifiers);
	assert.equal(sent.length, new Set(sent).size, 'an identifier was sent twice');
	assert.deepEqual([...sent].sort(), [...expected].sort());
}

describe('bad input in a real n8n', { timeout: 600_000 }, () => {
	let env;
	let result;
	let stopped;
	const urlItems = URL_CASES.map(([value], i) =>
		value === undefined ? { itemId: `u${i}` } : { itemId: `u${i}`, value },
	);
	const emailItems = EMAIL_CASES.map(([value], i) => ({ itemId: `m${i}`, value }));

	before(async () => {
		env = await setUp('badInput', {
			simulator: {
				keys: { [KEY]: { credits: BUDGET } },
				rateLimit: { limit: 10_000, windowMs: 60_000 },
			},
			credentials: [{ name: 'Crustdata (e2e bad input)', apiKey: KEY }],
		});
		const credential = env.credential('Crustdata (e2e bad input)');
		const errorOutput = (prefix) => ({
			onError: 'continueErrorOutput',
			after: { 0: `${prefix} OK`, 1: `${prefix} Failed` },
		});
		const fast = { requestsPerMinute: 600 };
		const profiles = { identifyBy: 'profileUrl', profileUrls: '={{ $json.value }}' };
		const wf = new WorkflowBuilder('E2E bad input');
		wf.branch('Urls', {
			items: urlItems,
			credential,
			parameters: { ...profiles, options: fast },
			...errorOutput('Urls'),
		});
		wf.branch('Emails', {
			items: emailItems,
			credential,
			parameters: {
				identifyBy: 'businessEmail',
				businessEmails: '={{ $json.value }}',
				options: fast,
			},
			...errorOutput('Emails'),
		});
		const big = wf.branch('Big', {
			items: [],
			credential,
			parameters: { ...profiles, options: { requestsPerMinute: 10_000, includeUnmatched: true } },
			onError: 'continueErrorOutput',
			after: {},
		});
		wf.nodes.find((n) => n.name === big.input).parameters.jsCode =
			`${bigItem.toString()}\nreturn Array.from({ length: ${BIG} }, (_, i) => ({ json: bigItem(i) }));`;
		// The main workflow runs through `n8n execute-batch`, which saves its run data to a file:
		// `n8n execute` prints it, and cuts it short when it is as large as 10,000 items make it.
		// The Stop workflow fails, so `execute-batch` would save nothing: `n8n execute`, meanwhile.
		const stopWf = new WorkflowBuilder('E2E bad input stop');
		stopWf.branch('Stop', {
			items: [url('bi-stop-1'), 'https://www.linkedin.com/company/acme-corp', url('bi-stop-2')].map(
				(value, i) => ({ itemId: `s${i}`, value }),
			),
			credential,
			parameters: profiles,
		});
		const ids = await env.importWorkflows([wf.toJSON(), stopWf.toJSON()]);
		const started = Date.now();
		let batch;
		[batch, [stopped]] = await Promise.all([
			env.executeBatch([ids[0]]).then((b) => ({ ...b, seconds: (Date.now() - started) / 1000 })),
			executeConcurrently(env, [ids[1]]),
		]);
		process.stderr.write(
			`[badInput] n8n seconds: execute-batch ${batch.seconds}, execute ${stopped.seconds}\n`,
		);
		result = { ...batch.results.get(ids[0]), secretsPrinted: batch.secretsPrinted };
		assert.equal(
			result.status,
			'success',
			`n8n execute-batch: ${result.error ?? batch.output.slice(-2500)}`,
		);
		assert.ok(result.data, 'n8n saved no run data');
		assert.ok(stopped.data, `n8n printed no run data: ${explain(stopped)}`);
	});

	after(async () => {
		await env?.tearDown();
	});

	describe('profile URL mode', () => {
		const sent = distinctOk(URL_CASES);
		it('sends only the valid identifiers, each once, 25 per request', () => {
			const requests = enrichRequests(env.sim, (e) =>
				e.identifiers?.some((id) => sent.includes(id) || id.includes('/bi-')),
			);
			assert.equal(sent.length, 35);
			assert.deepEqual(
				requests.map((r) => [r.identifiers.length, r.status]).sort((a, b) => b[0] - a[0]),
				[
					[25, 200],
					[10, 200],
				],
			);
			assertSentOnce(requests, sent);
			assert.equal(spent(requests), 35, 'one credit per matched person, none for invalid values');
		});

		it('gives each valid item its results, paired, and each invalid item its own error', () => {
			const ok = nodeOutput(result, 'Urls Crustdata', 0);
			assert.deepEqual(
				ok.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier}`),
				okLines(URL_CASES),
			);
			assert.ok(ok.every((o) => o.json.matched === true && o.json.businessEmail));
			assert.equal(ok[0].json.businessEmail.split('@')[0], 'j\u00fcrgen-m\u00fcller-bi');
			const failed = nodeOutput(result, 'Urls Crustdata', 1);
			assert.deepEqual(
				failed.map((o) => [pairedIndices(o), o.json.error]),
				errorLines(URL_CASES),
			);
			for (const o of failed) assert.deepEqual(o.json.details, {});
			assert.deepEqual(
				nodeOutput(result, 'Urls Failed').map((o) => o.json.pairedInput.itemId),
				failed.map((o) => urlItems[pairedIndices(o)[0]].itemId),
			);
			assert.deepEqual(
				nodeOutput(result, 'Urls OK').map((o) => o.json.pairedInput.itemId),
				ok.map((o) => urlItems[pairedIndices(o)[0]].itemId),
			);
		});
	});

	describe('business email mode', () => {
		it('sends the four valid emails once, normalised', () => {
			const requests = enrichRequests(env.sim, (e) => e.identifierKey === 'business_emails');
			assert.deepEqual(
				requests.map((r) => [r.identifiers, r.status]),
				[
					[
						[
							'solo.kappa@acme.com',
							'j\u00fcrgen@xn--mller-kva.de',
							'solo.lambda@globex.com',
							'nomatch.mu@acme.com',
						],
						200,
					],
				],
			);
			assert.equal(spent(requests), 3);
		});

		it('gives each item its results or its own error', () => {
			const ok = nodeOutput(result, 'Emails Crustdata', 0);
			assert.deepEqual(
				ok.map((o) => `${pairedIndices(o).join('+')} ${o.json.identifier}`),
				okLines(EMAIL_CASES),
			);
			assert.deepEqual(
				nodeOutput(result, 'Emails Crustdata', 1).map((o) => [pairedIndices(o), o.json.error]),
				errorLines(EMAIL_CASES),
			);
		});
	});

	describe('10,000 items', () => {
		const valid = Array.from({ length: BIG }, (_, i) => i).filter((i) => i % 10 !== 0);
		const distinct = [...new Set(valid.map((i) => url(bigSlug(i))))];

		it('sends ceil(distinct valid / 25) requests, each profile once, never an invalid value', () => {
			assert.equal(distinct.length, 2250);
			const requests = enrichRequests(env.sim, (e) =>
				e.identifiers?.some((id) => /\/in\/(nomatch-)?big-/.test(id)),
			);
			assert.equal(requests.length, Math.ceil(distinct.length / 25));
			assert.ok(requests.every((r) => r.status === 200 && r.identifiers.length === 25));
			assertSentOnce(requests, distinct);
			const matched = distinct.filter((id) => !id.includes('nomatch')).length;
			assert.equal(spent(requests), matched);
		});

		it('gives every item exactly one output, paired to it: a result or its error', () => {
			const ok = nodeOutput(result, 'Big Crustdata', 0);
			const failed = nodeOutput(result, 'Big Crustdata', 1);
			assert.equal(ok.length, valid.length);
			assert.equal(failed.length, BIG - valid.length);
			ok.forEach((o, n) => {
				const i = valid[n];
				assert.deepEqual(pairedIndices(o), [i]);
				assert.equal(o.json.identifier, url(bigSlug(i)));
				assert.equal(o.json.matched, !bigSlug(i).startsWith('nomatch'));
			});
			failed.forEach((o, n) => {
				assert.deepEqual(pairedIndices(o), [n * 10]);
				assert.equal(o.json.error, bigError(n * 10));
			});
		});
	});

	describe('without Continue On Fail', () => {
		it('stops at the first invalid item before any request, naming the item and the value', () => {
			assert.notEqual(stopped.code, 0);
			const { error, lastNodeExecuted } = stopped.data.data.resultData;
			assert.equal(lastNodeExecuted, 'Stop Crustdata');
			assert.equal(
				error.message,
				notUrl(
					1,
					'https://www.linkedin.com/company/acme-corp',
					`it is a LinkedIn company page, not a person's profile. ${HINT}`,
				),
			);
			assert.deepEqual(
				enrichRequests(env.sim, (e) => e.identifiers?.some((id) => id.includes('bi-stop'))),
				[],
			);
		});
	});

	it('spent exactly the credits of the matched valid identifiers, and never printed the key', () => {
		const all = enrichRequests(env.sim);
		// Urls 2, Emails 1, Big 90, Stop none: no request beyond those checked above.
		assert.equal(all.length, 2 + 1 + 90);
		assert.equal(env.sim.credits(KEY), BUDGET - spent(all));
		assert.equal(spent(all), 35 + 3 + 1928);
		assert.equal(result.secretsPrinted, 0);
		assert.equal(stopped.secretsPrinted, 0);
	});
});
