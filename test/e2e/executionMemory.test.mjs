// This execution's memory inside a real n8n: "as a tool, the same person asked 5 times in one
// execution is bought once". The node keeps what it bought in its execution context, across the
// runs of the node in one execution.
//
// - Loop: Loop Over Items (Split in Batches v3, batch size 1) over 5 items holding one profile URL
//   in two spellings, the Crustdata node inside the loop: 5 runs, 5 results, 1 request.
// - Budget: the same loop over 5 different people with "Max Identifiers per Run" 3: the budget
//   counts across the runs (3 bought, the last 2 on Not Sent).
// - Agent: n8n's AI Agent (v3) with the OpenAI Chat Model node, whose credential's Base URL points
//   to a fake OpenAI-compatible server in this file. It answers /chat/completions with a call to
//   the Crustdata tool until the conversation holds 5 tool results, then with a final answer. n8n
//   runs the tool node once per call (the agent hands each call back to the engine): 5 runs of
//   the tool, 1 enrich request.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { importCredential, n8nId } from '../../scripts/n8n-host.mjs';
import { lookupProfileUrl } from '../../simulator/fixtures.mjs';
import {
	CREDENTIAL_TYPE,
	ENRICH_PATH,
	explain,
	NODE_TYPE,
	pairedIndices,
	setUp,
	WorkflowBuilder,
} from './harness.mjs';

const KEYS = {
	loop: 'Xl-e2e-execution-loop-3c8e1a6f9d2b',
	budget: 'Xb-e2e-execution-budget-7f2d5b9a1e4c',
	agent: 'Xa-e2e-execution-agent-1a6c9e3f7b5d',
};
const OPENAI_KEY = 'sk-e2e-fake-openai-4d9b2e7a1c6f';
const mask = (key) => `${key.slice(0, 2)}***`;
const url = (slug) => `https://www.linkedin.com/in/${slug}`;
const TIMES = 5;
const LOOP_URL = url('xm-loop-same');
const AGENT_URL = url('xm-agent-same');
/** One person, spelled two ways. */
const spellings = (profileUrl) => [
	profileUrl,
	`${profileUrl.replace('https://www.', '').toUpperCase()}/`,
];
const FROM_MEMORY =
	"Crustdata: 0 requests, 0 distinct identifiers sent, 1 matched, 0 unmatched, 1 answered from this execution's memory, 0 credits used.";
const BOUGHT =
	'Crustdata: 1 request, 1 distinct identifiers sent, 1 matched, 0 unmatched, 1 credits used.';
const FINAL_ANSWER = 'The work email is known.';

/**
 * A fake OpenAI chat completions endpoint: a call to the first tool offered until the conversation
 * holds `times` tool results, then a final answer. Every request is kept in `calls`.
 */
function fakeOpenAi(toolArguments, times) {
	const calls = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (chunk) => (text += chunk));
		req.on('end', () => {
			const body = text ? JSON.parse(text) : {};
			calls.push({ method: req.method, path: req.url, auth: req.headers.authorization, body });
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
				return;
			}
			const results = (body.messages ?? []).filter((m) => m.role === 'tool').length;
			const tool = body.tools?.[0]?.function?.name;
			const message =
				results < times && tool
					? {
							role: 'assistant',
							content: null,
							tool_calls: [
								{
									id: `call_${results + 1}`,
									type: 'function',
									function: { name: tool, arguments: JSON.stringify(toolArguments(results)) },
								},
							],
						}
					: { role: 'assistant', content: FINAL_ANSWER };
			res.writeHead(200, { 'content-type': 'application/json' }).end(
				JSON.stringify({
					id: `chatcmpl-${calls.length}`,
					object: 'chat.completion',
					created: Math.floor(Date.now() / 1000),
					model: body.model,
					choices: [
						{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' },
					],
					usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
				}),
			);
		});
	});
	return { server, calls };
}

describe("this execution's memory in a real n8n", { timeout: 300_000 }, () => {
	let env;
	let openAi;
	let result;

	const runsOf = (name) => result.data?.data?.resultData?.runData?.[name] ?? [];
	const requestsOf = (key) =>
		env.sim.log.filter((e) => e.path === ENRICH_PATH && e.key === mask(key));

	/** Start → Input (Code) → Loop (batch size 1) ⇄ Crustdata; the loop's done output → Done. */
	function loopBranch(wf, prefix, items, credential, options, notSentBack = false) {
		wf.row += 1;
		const input = wf.add(
			{
				name: `${prefix} Input`,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
			},
			1,
		);
		wf.connect('Start', input);
		const loop = wf.add(
			{
				name: `${prefix} Loop`,
				type: 'n8n-nodes-base.splitInBatches',
				typeVersion: 3,
				parameters: { batchSize: 1, options: {} },
			},
			2,
		);
		wf.connect(input, loop);
		const crustdata = wf.add(
			{
				name: `${prefix} Crustdata`,
				type: NODE_TYPE,
				typeVersion: 1,
				parameters: {
					operation: 'enrich',
					identifyBy: 'profileUrl',
					profileUrls: '={{ $json.url }}',
					options,
				},
				credentials: { [CREDENTIAL_TYPE]: credential },
			},
			3,
		);
		wf.connect(loop, crustdata, 1);
		wf.connect(crustdata, loop, 0);
		if (notSentBack) wf.connect(crustdata, loop, 1);
		wf.connect(
			loop,
			wf.add(
				{ name: `${prefix} Done`, type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} },
				4,
			),
			0,
		);
	}

	before(async () => {
		const agentCalls = (n) => ({ profileUrls: spellings(AGENT_URL)[n % 2] });
		openAi = fakeOpenAi(agentCalls, TIMES);
		await new Promise((resolve) => openAi.server.listen(0, '127.0.0.1', resolve));
		env = await setUp('executionMemory', {
			simulator: {
				keys: Object.fromEntries(Object.values(KEYS).map((key) => [key, {}])),
				rateLimit: { limit: 1000, windowMs: 60_000 },
			},
			credentials: Object.entries(KEYS).map(([name, apiKey]) => ({ name, apiKey })),
		});
		const [openAiCredential] = await importCredential(env.host, env.ctx, {
			id: n8nId('executionMemory/openai'),
			name: 'Fake OpenAI',
			type: 'openAiApi',
			data: { apiKey: OPENAI_KEY, url: `http://127.0.0.1:${openAi.server.address().port}/v1` },
		});

		const wf = new WorkflowBuilder('E2E execution memory');
		loopBranch(
			wf,
			'Loop',
			Array.from({ length: TIMES }, (_, i) => ({ i, url: spellings(LOOP_URL)[i % 2] })),
			env.credential('loop'),
			{},
		);
		loopBranch(
			wf,
			'Budget',
			Array.from({ length: TIMES }, (_, i) => ({ i, url: url(`xm-budget-${i}`) })),
			env.credential('budget'),
			{ maxIdentifiers: 3 },
			true,
		);

		// The agent: Start → AI Agent, with the chat model and the Crustdata tool plugged in.
		wf.row += 1;
		const agent = wf.add(
			{
				name: 'AI Agent',
				type: '@n8n/n8n-nodes-langchain.agent',
				typeVersion: 3,
				parameters: {
					promptType: 'define',
					text: `What is the work email of ${AGENT_URL}? Ask ${TIMES} times.`,
					options: {},
				},
			},
			1,
		);
		wf.connect('Start', agent);
		wf.add(
			{
				name: 'OpenAI Chat Model',
				type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
				typeVersion: 1.2,
				parameters: { model: { __rl: true, mode: 'id', value: 'gpt-fake' }, options: {} },
				credentials: { openAiApi: { id: openAiCredential, name: 'Fake OpenAI' } },
			},
			2,
		);
		wf.add(
			{
				name: 'Find Contact',
				type: `${NODE_TYPE}Tool`,
				typeVersion: 1,
				parameters: {
					descriptionType: 'manual',
					toolDescription: 'Find the business email of people from their LinkedIn profile URLs.',
					operation: 'enrich',
					identifyBy: 'profileUrl',
					profileUrls:
						"={{ $fromAI('profileUrls', 'LinkedIn profile URLs, separated by commas', 'string') }}",
					fields: ['contact.business_emails'],
					simplify: true,
					options: {},
				},
				credentials: { [CREDENTIAL_TYPE]: env.credential('agent') },
			},
			3,
		);
		wf.connections['OpenAI Chat Model'] = {
			ai_languageModel: [[{ node: agent, type: 'ai_languageModel', index: 0 }]],
		};
		wf.connections['Find Contact'] = { ai_tool: [[{ node: agent, type: 'ai_tool', index: 0 }]] };

		const [id] = await env.importWorkflows([wf.toJSON()]);
		const started = Date.now();
		result = await env.execute(id);
		process.stderr.write(`[executionMemory] n8n execute: ${(Date.now() - started) / 1000} s\n`);
		assert.equal(result.code, 0, `n8n execute failed: ${explain(result)}`);
		assert.equal(result.secretsPrinted, 0, 'n8n printed an API key');
	});

	after(async () => {
		await env?.tearDown();
		openAi?.server.close();
	});

	it('Loop Over Items: 5 runs of the node, 5 results, 1 request, 1 credit', () => {
		const person = lookupProfileUrl(LOOP_URL)[0].person;
		const runs = runsOf('Loop Crustdata');
		assert.equal(runs.length, TIMES);
		assert.deepEqual(
			runs.map((run) =>
				(run.data.main[0] ?? []).map((o) => [
					pairedIndices(o),
					o.json.identifier,
					o.json.businessEmail,
				]),
			),
			runs.map(() => [[[0], LOOP_URL, person.business_emails[0].email]]),
		);
		assert.deepEqual(
			runs.map((run) => (run.hints ?? []).map((h) => h.message)),
			[[BOUGHT], ...Array.from({ length: TIMES - 1 }, () => [FROM_MEMORY])],
		);
		assert.deepEqual(
			requestsOf(KEYS.loop).map((e) => [e.identifiers, e.status]),
			[[[LOOP_URL], 200]],
		);
		assert.equal(env.sim.creditsCharged(KEYS.loop), 1);
		// The loop's done output: one result per input item, in order.
		const done = runsOf('Loop Done')[0].data.main[0];
		assert.deepEqual(
			done.map((o) => o.json.identifier),
			Array.from({ length: TIMES }, () => LOOP_URL),
		);
	});

	it('the budgets count across the runs: "Max Identifiers per Run" 3 over 5 runs', () => {
		const runs = runsOf('Budget Crustdata');
		assert.equal(runs.length, TIMES);
		assert.deepEqual(
			runs.map((run) => [
				(run.data.main[0] ?? []).map((o) => o.json.identifier),
				(run.data.main[1] ?? []).map((o) => o.json.reason),
			]),
			[0, 1, 2, 3, 4].map((i) =>
				i < 3 ? [[url(`xm-budget-${i}`)], []] : [[], ['maxIdentifiers']],
			),
		);
		assert.deepEqual(
			requestsOf(KEYS.budget).map((e) => e.identifiers),
			[0, 1, 2].map((i) => [url(`xm-budget-${i}`)]),
		);
		assert.equal(env.sim.creditsCharged(KEYS.budget), 3);
	});

	it('AI Agent: the same person asked 5 times through the tool is bought once', () => {
		const completions = openAi.calls.filter((c) => c.path.endsWith('/chat/completions'));
		assert.equal(completions.length, TIMES + 1, 'five tool calls, then the answer');
		assert.ok(completions.every((c) => c.auth === `Bearer ${OPENAI_KEY}`));
		// What the model got back from each call: the same person, every time.
		const email = lookupProfileUrl(AGENT_URL)[0].person.business_emails[0].email;
		const toolResults = completions.at(-1).body.messages.filter((m) => m.role === 'tool');
		assert.equal(toolResults.length, TIMES);
		for (const message of toolResults) {
			const [answer] = JSON.parse(message.content);
			assert.deepEqual(
				[answer.identifier, answer.matched, answer.businessEmail],
				[AGENT_URL, true, email],
			);
		}
		// n8n ran the tool node once per call; only the first one bought.
		const runs = runsOf('Find Contact');
		assert.equal(runs.length, TIMES);
		assert.deepEqual(
			runs.map((run) => (run.hints ?? []).map((h) => h.message)),
			[[BOUGHT], ...Array.from({ length: TIMES - 1 }, () => [FROM_MEMORY])],
		);
		assert.deepEqual(
			requestsOf(KEYS.agent).map((e) => [e.identifiers, e.status]),
			[[[AGENT_URL], 200]],
		);
		assert.equal(env.sim.creditsCharged(KEYS.agent), 1);
		assert.equal(runsOf('AI Agent').at(-1).data.main[0][0].json.output, FINAL_ANSWER);
	});
});
