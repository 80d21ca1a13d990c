/**
 * Runs one node's `execute()` the way n8n does: a real `Workflow` (n8n-workflow) run by
 * n8n-core's `WorkflowExecute`, which builds the real `ExecuteContext`. Parameter
 * expressions are evaluated per item, `continueOnFail()` reads the node settings, the engine
 * applies "Continue On Fail" / "Continue (using error output)", and
 * `httpRequestWithAuthentication` goes through n8n-core's request stack (nock intercepts it)
 * after the credential's `authenticate` has been applied.
 *
 * The workflow is `Input` (pinned to the test items) → node under test → optional `Probe`.
 * Only what n8n's CLI provides is ours: node types, a credentials helper without database
 * or encryption, and the execution's `additionalData`.
 */
import { ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionError,
	IDataObject,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IConnections,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	NodeExecutionHint,
} from 'n8n-workflow';
import { createRunExecutionData, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { createAdditionalData } from './harness/additionalData';
import { ensureDeduplicationStore } from './harness/deduplicator';
import { HarnessCredentialsHelper } from './harness/credentialsHelper';
import { HarnessNodeTypes, INPUT_NODE_TYPE, PROBE_NODE_TYPE } from './harness/nodeTypes';

export { HarnessCredentialsHelper } from './harness/credentialsHelper';

export const DEFAULT_NODE_TYPE_NAME = 'n8n-nodes-crustdata-contact.crustdataContactEnrich';

/** Names of the harness workflow's nodes, for expressions such as `$('Input').item`. */
export const NODE_NAME = 'Node Under Test';
export const INPUT_NODE_NAME = 'Input';
export const PROBE_NODE_NAME = 'Probe';

const EXECUTION_ID = 'harness-execution';
let workflowCount = 0;

export interface RunNodeOptions {
	/** An instance of the node class. */
	node: INodeType;
	/**
	 * Node type as a user's workflow names it.
	 * @default 'n8n-nodes-crustdata-contact.crustdataContactEnrich'
	 */
	nodeTypeName?: string;
	/** The node's parameters; `={{ ... }}` expressions are resolved per item; defaults are filled in. */
	parameters: INodeParameters;
	/** The node's input items (the pinned output of the `Input` node). */
	items: INodeExecutionData[];
	/** Decrypted credential data, as n8n hands it over after decryption. */
	credentials?: { type: string; data: ICredentialDataDecryptedObject };
	/** The credential class instance whose `authenticate` is applied to each request. */
	credentialType?: ICredentialType;
	/**
	 * The node's legacy "Continue On Fail" setting.
	 * @default false
	 */
	continueOnFail?: boolean;
	/** The node's "Retry On Fail" setting. @default false */
	retryOnFail?: boolean;
	/** The node's "On Error" setting; when set, n8n ignores `continueOnFail`. */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/**
	 * An expression evaluated once per item of the node's first output by a downstream
	 * node, e.g. `={{ $('Input').item.json.url }}`: it fails when `pairedItem` is missing.
	 */
	downstreamExpression?: string;
	/** Cancels the execution (as a user's "Stop" does) when this signal aborts. */
	cancelSignal?: AbortSignal;
	/**
	 * The workflow's id, which scopes n8n's deduplication store (memory across executions): runs
	 * that pass the same id share it. @default a new id per run
	 */
	workflowId?: string;
	/**
	 * The node's execution context (`getContext('node')`) as an earlier run of the node in the same
	 * execution left it: what a loop or an AI agent's earlier tool call would have stored.
	 */
	nodeContext?: IDataObject;
}

export interface RunNodeResult {
	/** One array per node output; with `continueErrorOutput`, `[success, error]`. */
	output: INodeExecutionData[][];
	/** Hints the node added with `addExecutionHints`, plus any the engine added. */
	hints: NodeExecutionHint[];
	/**
	 * The error the node threw when its settings let the workflow go on. n8n then passes the
	 * input items through unchanged: a node that handles errors itself leaves this unset.
	 */
	error?: ExecutionError;
	/** `downstreamExpression` per item of the first output, when it was given. */
	downstream?: unknown[];
	/** The node's execution context after the run (pass it as `nodeContext` to a next run). */
	nodeContext: IDataObject;
}

/**
 * n8n's CLI sends what the engine reports (every node error) to Sentry and its log. Here that
 * only prints stack traces of errors the tests expect; the error still reaches the caller.
 * Checked on every run because a test's `jest.restoreAllMocks()` undoes it. Outside jest (the
 * benchmark runs this harness compiled) nothing is silenced.
 */
function silenceErrorReporter(): void {
	if (typeof jest === 'undefined') return;
	if (!jest.isMockFunction(ErrorReporter.prototype.error)) {
		jest.spyOn(ErrorReporter.prototype, 'error').mockImplementation(() => undefined);
	}
}

function latestVersion(node: INodeType): number {
	const { version, defaultVersion } = node.description;
	if (defaultVersion !== undefined) return defaultVersion;
	return Array.isArray(version) ? Math.max(...version) : version;
}

function buildNodes(options: RunNodeOptions, typeName: string): INode[] {
	const node: INode = {
		id: 'harness-node-under-test',
		name: NODE_NAME,
		type: typeName,
		typeVersion: latestVersion(options.node),
		position: [200, 0],
		// The Workflow constructor fills in defaults in place; keep the caller's object intact.
		parameters: structuredClone(options.parameters),
	};
	if (options.credentials) {
		node.credentials = { [options.credentials.type]: { id: '1', name: 'Test Credential' } };
	}
	if (options.continueOnFail !== undefined) node.continueOnFail = options.continueOnFail;
	if (options.onError !== undefined) node.onError = options.onError;
	if (options.retryOnFail !== undefined) node.retryOnFail = options.retryOnFail;

	const input: INode = {
		id: 'harness-input',
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	if (options.downstreamExpression === undefined) return [input, node];
	const probe: INode = {
		id: 'harness-probe',
		name: PROBE_NODE_NAME,
		type: PROBE_NODE_TYPE,
		typeVersion: 1,
		position: [400, 0],
		parameters: { value: options.downstreamExpression },
	};
	return [input, node, probe];
}

function buildConnections(withProbe: boolean): IConnections {
	const main = NodeConnectionTypes.Main;
	const connections: IConnections = {
		[INPUT_NODE_NAME]: { [main]: [[{ node: NODE_NAME, type: main, index: 0 }]] },
	};
	if (withProbe) {
		connections[NODE_NAME] = { [main]: [[{ node: PROBE_NODE_NAME, type: main, index: 0 }]] };
	}
	return connections;
}

/**
 * n8n keeps NodeApiError/NodeOperationError instances but stores other errors (an
 * ExpressionError, say) as plain copies; callers get an Error either way.
 */
function asError(error: ExecutionError): Error {
	const stored: unknown = error;
	if (stored instanceof Error) return stored;
	const { message } = error;
	return Object.assign(new Error(message), error);
}

function collectResult(run: IRun, withProbe: boolean): RunNodeResult {
	const nodeContext = (run.data.executionData?.contextData[`node:${NODE_NAME}`] ??
		{}) as IDataObject;
	const { resultData } = run.data;
	// A node that failed and stopped the workflow has an error and no output. (The run-level
	// error is no signal: n8n also sets it when the last node failed but continued.)
	const stopped = Object.values(resultData.runData).find(
		(tasks) => tasks[0]?.error && !tasks[0].data,
	);
	if (stopped?.[0]?.error) throw asError(stopped[0].error);
	if (run.status === 'canceled' && resultData.error) throw asError(resultData.error);
	const task = resultData.runData[NODE_NAME]?.[0];
	if (!task && resultData.error) throw asError(resultData.error);

	const output = (task?.data?.main ?? []).map((items) => items ?? []);
	const result: RunNodeResult = { output, hints: task?.hints ?? [], nodeContext };
	if (task?.error) result.error = task.error;
	if (withProbe) {
		const probeItems = resultData.runData[PROBE_NODE_NAME]?.[0]?.data?.main[0] ?? [];
		result.downstream = probeItems.map((item) => item.json.value);
	}
	return result;
}

/**
 * Runs `options.node` once over `options.items` and returns what it emitted. An error the
 * node's settings do not turn into items is thrown, as n8n would fail the workflow.
 */
export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	silenceErrorReporter();
	await ensureDeduplicationStore();
	const typeName = options.nodeTypeName ?? DEFAULT_NODE_TYPE_NAME;
	const withProbe = options.downstreamExpression !== undefined;
	const nodes = buildNodes(options, typeName);
	const connections = buildConnections(withProbe);
	const workflowId = options.workflowId ?? `harness-workflow-${++workflowCount}`;
	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness',
		nodes,
		connections,
		active: false,
		nodeTypes: new HarnessNodeTypes(typeName, options.node),
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks('manual', EXECUTION_ID, {
		id: workflowId,
		name: 'Harness',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	});
	const credentialsHelper = new HarnessCredentialsHelper(
		options.credentialType,
		options.credentials?.data,
	);
	const additionalData = createAdditionalData(credentialsHelper, hooks, EXECUTION_ID);

	const runExecutionData = createRunExecutionData({
		// Cloned: the engine writes pairedItem onto the items it passes on.
		resultData: { pinData: { [INPUT_NODE_NAME]: structuredClone(options.items) } },
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
			contextData: options.nodeContext
				? { [`node:${NODE_NAME}`]: structuredClone(options.nodeContext) }
				: {},
		},
	});
	const execution = new WorkflowExecute(
		additionalData,
		'manual',
		runExecutionData,
	).processRunExecutionData(workflow);
	const cancel = () => execution.cancel();
	options.cancelSignal?.addEventListener('abort', cancel);
	if (options.cancelSignal?.aborted) cancel();
	try {
		return collectResult(await execution, withProbe);
	} finally {
		options.cancelSignal?.removeEventListener('abort', cancel);
	}
}
