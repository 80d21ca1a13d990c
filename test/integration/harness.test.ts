import type { ICredentialType, IDataObject, INodeExecutionData } from 'n8n-workflow';
import nock from 'nock';

import { CrustdataContactApi } from '../../credentials/CrustdataContactApi.credentials';
import { EchoNode } from './fixtures/echoNode';
import { FanOutNode } from './fixtures/fanOutNode';
import type { RunNodeOptions } from './harness';
import { HarnessCredentialsHelper, runNode } from './harness';

const API = 'https://api.crustdata.test';
const API_KEY = 'test-key';

function echoOptions(overrides: Partial<RunNodeOptions> = {}): RunNodeOptions {
	return {
		node: new EchoNode(),
		parameters: { url: '={{ $json.url }}', label: '={{ $json.name }}' },
		items: [{ json: { url: `${API}/one`, name: 'first' } }],
		credentials: { type: 'crustdataContactApi', data: { apiKey: API_KEY, baseUrl: API } },
		credentialType: new CrustdataContactApi(),
		...overrides,
	};
}

function jsonOf(items: INodeExecutionData[] | undefined): IDataObject[] {
	return (items ?? []).map((item) => item.json);
}

// Unreachable hosts are a real refused connection (port 9, discard, is closed here): nock's own
// "disallowed" error is emitted on a socket nobody listens to, which fails tests at random.
// The jest set-up (test/setup/network.ts) has blocked every other host.
beforeAll(() => nock.enableNetConnect('127.0.0.1:9'));

describe('runNode', () => {
	it('resolves the expressions per item and sends the exact body with the credential headers', async () => {
		const sent: Array<{ path: string; body: unknown }> = [];
		const scope = nock(API, {
			reqheaders: { authorization: `Bearer ${API_KEY}`, 'x-api-version': '2025-11-01' },
		})
			.post(/.*/)
			.times(2)
			.reply(function (path, body) {
				sent.push({ path, body });
				return [200, { ok: true }];
			});

		const { output } = await runNode(
			echoOptions({
				items: [
					{ json: { url: `${API}/one`, name: 'first' } },
					{ json: { url: `${API}/two`, name: 'second' } },
				],
			}),
		);

		expect(sent).toEqual([
			{ path: '/one', body: { label: 'first', index: 0 } },
			{ path: '/two', body: { label: 'second', index: 1 } },
		]);
		expect(output[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(jsonOf(output[0]).map((json) => json.url)).toEqual([`${API}/one`, `${API}/two`]);
		scope.done();
	});

	it('gives status, headers and body with returnFullResponse', async () => {
		nock(API).post('/one').reply(201, { id: 7 }, { 'x-ratelimit-remaining': '14' });

		const { output } = await runNode(echoOptions());

		expect(output[0][0].json).toMatchObject({
			status: 201,
			body: { id: 7 },
			headers: { 'x-ratelimit-remaining': '14', 'content-type': 'application/json' },
		});
	});

	it('returns a 429 instead of throwing with ignoreHttpStatusErrors', async () => {
		nock(API).post('/one').reply(429, { error: 'slow down' }, { 'retry-after': '2' });

		const { output } = await runNode(echoOptions());

		expect(output[0][0].json).toMatchObject({
			status: 429,
			body: { error: 'slow down' },
			headers: { 'retry-after': '2' },
		});
	});

	it('sends a request twice on a 401 that is thrown, as n8n re-authenticates once', async () => {
		const scope = nock(API).post('/one').times(2).reply(401, { error: 'bad key' });

		await expect(
			runNode(
				echoOptions({ parameters: { url: '={{ $json.url }}', ignoreHttpStatusErrors: false } }),
			),
		).rejects.toMatchObject({ name: 'NodeApiError', httpCode: '401' });
		scope.done();
	});

	it.each([
		['off by default', {}, false],
		['on with Continue On Fail', { continueOnFail: true }, true],
		['on with continueRegularOutput', { onError: 'continueRegularOutput' }, true],
		['on with continueErrorOutput', { onError: 'continueErrorOutput' }, true],
		[
			'off with stopWorkflow, which wins over continueOnFail',
			{ continueOnFail: true, onError: 'stopWorkflow' },
			false,
		],
	] as Array<[string, Partial<RunNodeOptions>, boolean]>)(
		'reports continueOnFail() %s',
		async (_label, settings, expected) => {
			nock(API).post('/one').reply(200, {});

			const { output } = await runNode(echoOptions(settings));

			expect(output[0][0].json.continueOnFail).toBe(expected);
		},
	);

	it('captures the execution hints the node adds', async () => {
		nock(API).post('/one').reply(200, {});

		const { hints } = await runNode(echoOptions());

		expect(hints).toEqual([{ message: 'Echoed 1 item(s)', location: 'outputPane' }]);
	});

	it('hands the node an execution cancel signal', async () => {
		nock(API).post('/one').reply(200, {});

		const { output } = await runNode(echoOptions());

		expect(output[0][0].json.hasCancelSignal).toBe(true);
	});

	it('fails the downstream expression when a node omits pairedItem on unequal counts', async () => {
		await expect(
			runNode({
				node: new FanOutNode(),
				parameters: {},
				items: [{ json: { name: 'first' } }, { json: { name: 'second' } }],
				downstreamExpression: "={{ $('Input').item.json.name }}",
			}),
		).rejects.toThrow(/paired item/i);
	});

	describe('when the node throws (the request cannot reach its host)', () => {
		const unreachable = { items: [{ json: { url: 'http://127.0.0.1:9/x', name: 'lost' } }] };

		it('rejects with the node error when the workflow stops on errors', async () => {
			await expect(runNode(echoOptions(unreachable))).rejects.toMatchObject({
				name: 'NodeApiError',
			});
		});

		it.each([
			['Continue On Fail', { continueOnFail: true }],
			['continueRegularOutput', { onError: 'continueRegularOutput' }],
			['continueErrorOutput', { onError: 'continueErrorOutput' }],
		] as Array<[string, Partial<RunNodeOptions>]>)(
			'passes the input through and reports the thrown error with %s',
			async (_label, settings) => {
				const result = await runNode(echoOptions({ ...unreachable, ...settings }));

				// n8n 2.x does not turn a thrown error into an error item: it forwards the input
				// on the first output. Only a node that catches per item fills the error output.
				expect(result.output).toEqual([[expect.objectContaining(unreachable.items[0])]]);
				expect(result.error).toMatchObject({ name: 'NodeApiError' });
			},
		);
	});

	it('routes the error items a node emits to the error output, merged with their input', async () => {
		nock(API).post('/one').reply(200, { ok: true });

		const { output, error } = await runNode(
			echoOptions({
				parameters: { url: '={{ $json.url }}', handleErrors: true },
				items: [
					{ json: { url: `${API}/one`, name: 'first' } },
					{ json: { url: 'http://127.0.0.1:9/x', name: 'lost' } },
				],
				onError: 'continueErrorOutput',
			}),
		);

		expect(error).toBeUndefined();
		expect(jsonOf(output[0]).map((json) => json.status)).toEqual([200]);
		expect(output[1]).toEqual([
			{
				json: expect.objectContaining({
					name: 'lost',
					error: 'The service refused the connection - perhaps it is offline',
				}),
				pairedItem: { item: 1 },
			},
		]);
	});

	it('cancels the execution, aborting the in-flight request, when cancelSignal aborts', async () => {
		const stop = new AbortController();
		// The reply never comes: the request is in flight when the user presses "Stop".
		nock(API)
			.post('/one')
			.reply(() => {
				stop.abort();
				return new Promise<never>(() => {});
			});

		await expect(runNode(echoOptions({ cancelSignal: stop.signal }))).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: 'ERR_CANCELED',
		});
	});

	it('evaluates a downstream expression through the pairedItem lineage', async () => {
		nock(API).post(/.*/).times(2).reply(200, {});

		const { downstream } = await runNode(
			echoOptions({
				items: [
					{ json: { url: `${API}/one`, name: 'first' } },
					{ json: { url: `${API}/two`, name: 'second' } },
				],
				downstreamExpression: "={{ $('Input').item.json.name }}",
			}),
		);

		expect(downstream).toEqual(['first', 'second']);
	});
});

describe('HarnessCredentialsHelper', () => {
	it('applies generic query and body authentication with resolved expressions', async () => {
		const queryAndBodyAuth: ICredentialType = {
			name: 'crustdataContactApi',
			displayName: 'Query And Body',
			properties: [],
			authenticate: {
				type: 'generic',
				properties: {
					qs: { key: '={{$credentials.apiKey}}' },
					body: { token: '=tok-{{$credentials.apiKey}}' },
				},
			},
		};
		const scope = nock(API)
			.post('/one', { label: 'first', index: 0, token: `tok-${API_KEY}` })
			.query({ key: API_KEY })
			.reply(200, {});

		await runNode(echoOptions({ credentialType: queryAndBodyAuth }));

		scope.done();
	});

	it('fills in the credential defaults, as n8n does for a saved credential', async () => {
		const helper = new HarnessCredentialsHelper(new CrustdataContactApi(), { apiKey: API_KEY });

		await expect(helper.getDecrypted()).resolves.toEqual({
			apiKey: API_KEY,
			baseUrl: 'https://api.crustdata.com',
		});
	});
});
