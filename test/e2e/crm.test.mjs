// CRM-ready output inside a real n8n (the CRM-ready issue):
//
// - Statuses: a person whose only business email is `invalid` (simulator slugs with `-invalid`)
//   gets `businessEmail: null` by default, and the invalid address once "Email Statuses" includes
//   `invalid`; the raw output (Simplify off) is never filtered. Catch-all and unknown addresses
//   are kept by default (every status but invalid), and dropped when not ticked.
// - Fields: with "Include Input Fields", every output item (matches, an unmatched one, Not Sent
//   items, and error items on the error output) carries its input item's fields. An input field
//   named like a field the node writes on that item (`businessEmail` on a result, `reason` on a
//   Not Sent item) is kept as `input_<name>`, the node's own value stays, and the run's hint
//   lists each rename. (On the error output, n8n itself adds the input fields.)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lookupProfileUrl } from '../../simulator/fixtures.mjs';
import {
	ENRICH_PATH,
	explain,
	nodeHints,
	nodeOutput,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEYS = {
	default: 'Cd-e2e-crm-default-4b9e2d7a1f5c',
	invalid: 'Ci-e2e-crm-invalid-8f3a6c1e9d2b',
	raw: 'Cr-e2e-crm-raw-2e7c5a9f3b1d',
	fields: 'Cf-e2e-crm-fields-7a1d4f8c2e6b',
};
const mask = (key) => `${key.slice(0, 2)}***`;
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const pad = (n) => String(n).padStart(3, '0');
const range = (from, to) => Array.from({ length: to - from }, (_, i) => from + i);
const contactOf = (profileUrl) => lookupProfileUrl(profileUrl)[0].person;

/** Four people: one business email each, of each status (the slug's marker sets it). */
const PEOPLE = [
	url('crm-ada'),
	url('crm-bob-invalid'),
	url('crm-cy-catchall'),
	url('crm-di-unknown'),
].map((u, row) => ({ row, url: u }));
const emailOf = (row) => contactOf(PEOPLE[row].url).business_emails[0].email;

// "Fields": 32 CRM rows. Row 1 is nobody, row 25 a company page (invalid), row 26 blank; the
// second request (rows 27 and 28) is refused with a 400; "Max Identifiers per Run" 27 holds back
// rows 29 to 31.
const FIELD_ROWS = range(0, 32).map((i) => ({
	id: 1000 + i,
	row: i,
	url: url(`crm-in-${pad(i)}`),
	businessEmail: `old-${i}@crm.example`,
	reason: `campaign-${i % 3}`,
}));
FIELD_ROWS[1].url = url('nomatch-crm-in-001');
FIELD_ROWS[25].url = 'https://www.linkedin.com/company/acme';
FIELD_ROWS[26].url = '';

const NOT_SENT = {
	noIdentifier: 'Not sent: the item has no identifier. Nothing was bought for this item.',
	maxIdentifiers:
		'Not sent: the run reached "Max Identifiers per Run". Nothing was bought for these identifiers.',
};
const COMPANY_PAGE =
	'Item 25: "https://www.linkedin.com/company/acme" is not a valid profile URL: it is a LinkedIn company page, not a person\'s profile. Use a profile URL such as https://www.linkedin.com/in/jane-doe.';
const REFUSED = 'Crustdata rejected the request as invalid (400)';

describe('CRM-ready output in a real n8n', { timeout: 300_000 }, () => {
	let env;
	let result;

	const output = (prefix, index) =>
		(nodeOutput(result, `${prefix} Crustdata`, index) ?? []).map((o) => [pairedIndices(o), o.json]);
	const requestsOf = (key) =>
		env.sim.log.filter((e) => e.path === ENRICH_PATH && e.key === mask(key));

	before(async () => {
		env = await setUp('crm', {
			simulator: {
				keys: Object.fromEntries(Object.values(KEYS).map((key) => [key, {}])),
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: Object.entries(KEYS).map(([name, apiKey]) => ({ name, apiKey })),
		});
		const wf = new WorkflowBuilder('E2E CRM-ready');
		const branch = (prefix, key, items, parameters, outputs = ['Done', 'Failed']) =>
			wf.branch(prefix, {
				items,
				credential: env.credential(key),
				parameters: { identifyBy: 'profileUrl', profileUrls: '={{ $json.url }}', ...parameters },
				onError: 'continueErrorOutput',
				after: Object.fromEntries(outputs.map((name, i) => [i, `${prefix} ${name}`])),
			});
		branch('Default', 'default', PEOPLE, { options: {} });
		branch('Invalid', 'invalid', PEOPLE, {
			options: { emailStatuses: ['deliverable', 'invalid'] },
		});
		branch('Raw', 'raw', PEOPLE, { simplify: false, options: {} });
		branch(
			'Fields',
			'fields',
			FIELD_ROWS,
			{
				options: {
					includeInputFields: true,
					includeUnmatched: true,
					maxIdentifiers: 27,
					noIdentifier: 'notSent',
				},
			},
			['Done', 'Not Sent', 'Failed'],
		);
		env.sim.addFault({ kind: 'status', status: 400, identifier: FIELD_ROWS[27].url });
		const [id] = await env.importWorkflows([wf.toJSON()]);
		const started = Date.now();
		result = await env.execute(id);
		process.stderr.write(`[crm] n8n execute: ${(Date.now() - started) / 1000} s\n`);
		assert.equal(result.code, 0, `n8n execute failed: ${explain(result)}`);
	});

	after(async () => {
		await env?.tearDown();
	});

	describe('Email Statuses', () => {
		/** [row, businessEmail, businessEmailStatus, businessEmails] of each result. */
		const emails = (prefix) =>
			output(prefix, 0).map(([[row], json]) => [
				row,
				json.businessEmail,
				json.businessEmailStatus,
				json.businessEmails,
			]);

		it('by default: no invalid address (businessEmail null), catch-all and unknown kept', () => {
			assert.deepEqual(emails('Default'), [
				[0, emailOf(0), 'deliverable', [emailOf(0)]],
				[1, null, null, []],
				[2, emailOf(2), 'catch_all', [emailOf(2)]],
				[3, emailOf(3), 'unknown', [emailOf(3)]],
			]);
			// The person matched and was paid for: only the address was withheld.
			assert.equal(output('Default', 0)[1][1].matched, true);
			assert.deepEqual(
				requestsOf(KEYS.default).map((e) => [e.identifiers, e.status, e.creditsUsed]),
				[[PEOPLE.map((p) => p.url), 200, 4]],
			);
		});

		it('with invalid ticked: the invalid address comes out, marked invalid; unticked statuses are dropped', () => {
			assert.deepEqual(emails('Invalid'), [
				[0, emailOf(0), 'deliverable', [emailOf(0)]],
				[1, emailOf(1), 'invalid', [emailOf(1)]],
				[2, null, null, []],
				[3, null, null, []],
			]);
		});

		it('raw output (Simplify off) is never filtered', () => {
			assert.deepEqual(
				output('Raw', 0).map(([[row], json]) => [row, json.matched_on, json.person_data]),
				PEOPLE.map((p) => [
					p.row,
					p.url,
					{
						crustdata_person_id: contactOf(p.url).crustdata_person_id,
						contact: { business_emails: contactOf(p.url).business_emails },
					},
				]),
			);
			assert.deepEqual(output('Raw', 0)[1][1].person_data.contact.business_emails, [
				{ email: emailOf(1), status: 'invalid' },
			]);
		});

		it('each node buys for itself: three requests, each paired downstream', () => {
			for (const prefix of ['Default', 'Invalid', 'Raw']) {
				assert.deepEqual(
					nodeOutput(result, `${prefix} Done`).map((o) => o.json.pairedInput.row),
					[0, 1, 2, 3],
				);
				assert.deepEqual(output(prefix, 1), []);
			}
			assert.equal(requestsOf(KEYS.invalid).length, 1);
			assert.equal(requestsOf(KEYS.raw).length, 1);
		});
	});

	describe('Include Input Fields', () => {
		/**
		 * The item holds every field of its input row: under its own name, or as input_<name> when
		 * the node wrote that name itself (then `own` is the node's value, checked separately).
		 */
		function assertCarries(json, row, renamed = []) {
			const input = FIELD_ROWS[row];
			for (const [name, value] of Object.entries(input)) {
				const kept = renamed.includes(name) ? `input_${name}` : name;
				assert.deepEqual(json[kept], value, `row ${row}: ${kept}`);
			}
		}

		it('results (matched and unmatched) carry the row, its businessEmail kept as input_businessEmail', () => {
			const done = output('Fields', 0);
			assert.deepEqual(
				done.map(([[row]]) => row),
				range(0, 25),
			);
			for (const [[row], json] of done) {
				assertCarries(json, row, ['businessEmail']);
				assert.equal(json.identifier, FIELD_ROWS[row].url);
				if (row === 1) {
					assert.equal(json.matched, false);
					assert.equal(json.businessEmail, null);
				} else {
					assert.equal(json.matched, true);
					assert.equal(json.businessEmail, contactOf(json.identifier).business_emails[0].email);
				}
			}
		});

		it('Not Sent items carry the row, its reason column kept as input_reason', () => {
			const held = output('Fields', 1);
			assert.deepEqual(
				held.map(([[row], json]) => [row, json.reason, json.identifiers, json.message]),
				[
					[26, 'noIdentifier', [], NOT_SENT.noIdentifier],
					...[29, 30, 31].map((row) => [
						row,
						'maxIdentifiers',
						[FIELD_ROWS[row].url],
						NOT_SENT.maxIdentifiers,
					]),
				],
			);
			for (const [[row], json] of held) assertCarries(json, row, ['reason']);
		});

		it('error items on the error output carry the row too (n8n adds it)', () => {
			const failed = output('Fields', 2);
			assert.deepEqual(
				failed.map(([[row], json]) => [row, json.error, json.details.httpCode]),
				[
					[25, COMPANY_PAGE, undefined],
					[27, REFUSED, '400'],
					[28, REFUSED, '400'],
				],
			);
			for (const [[row], json] of failed) assertCarries(json, row);
		});

		it('sends what it should, pairs every output downstream, and names each rename in the hint', () => {
			assert.deepEqual(
				requestsOf(KEYS.fields).map((e) => [e.identifiers.length, e.status]),
				[
					[25, 200],
					[2, 400],
				],
			);
			for (const [index, check] of [
				[0, 'Done'],
				[1, 'Not Sent'],
				[2, 'Failed'],
			]) {
				assert.deepEqual(
					nodeOutput(result, `Fields ${check}`).map((o) => o.json.pairedInput.id),
					output('Fields', index).map(([[row]]) => FIELD_ROWS[row].id),
					`Fields ${check}: $('Fields Input').item`,
				);
			}
			assert.deepEqual(nodeHints(result, 'Fields Crustdata'), [
				'Include Input Fields: input fields with the same name as an output field were kept under a new name: businessEmail → input_businessEmail, reason → input_reason.',
				'Crustdata: 2 requests, 27 distinct identifiers sent, 24 matched, 1 unmatched, 2 failed, 3 not sent, 1 item without an identifier, 24 credits used.',
			]);
		});
	});
});
