import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { crustdataApiRequest } from '../../transport';
import { CREDITS_PATH, MAX_IDENTIFIERS_PER_REQUEST } from '../../transport/limits';
import { planEnrichRun } from '../enrichPlan';
import { readEnrichSettings } from '../enrichSettings';
import { formatCredits } from '../runStats';
import { connect } from '../settings';

// Estimate Cost: what Enrich would send with the same items and options, and the most it could
// spend, without buying anything. It reads the balance from the free GET /account/credits.

/** `GET /account/credits`: `{account: {credits}}` as documented, or a flat `{credits}`. */
export function balanceOf(body: unknown): number | null {
	if (typeof body !== 'object' || body === null) return null;
	const { account, credits } = body as { account?: { credits?: unknown }; credits?: unknown };
	const value = Number(account?.credits ?? credits);
	return Number.isFinite(value) ? value : null;
}

async function readBalance(
	context: IExecuteFunctions,
	transport: Awaited<ReturnType<typeof connect>>,
) {
	const result = await crustdataApiRequest.call(
		context,
		{ method: 'GET', path: CREDITS_PATH },
		transport,
	);
	return result.ok ? balanceOf(result.response.body) : null;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readEnrichSettings(this);
	const plan = await planEnrichRun(this, items, settings, { estimate: true });
	const { limits } = settings;
	const per = settings.creditsPerIdentifier;

	const remembered = plan.lookup ? await plan.lookup.peek(plan.candidates) : new Set<string>();
	let rest = plan.candidates.filter((identifier) => !remembered.has(identifier));
	const byCount = Math.max(0, rest.length - plan.allowed);
	rest = rest.slice(0, plan.allowed);
	// Every identifier reckoned at its worst case, as Enrich plans its budget.
	const creditRoom =
		limits.maxCredits > 0 ? Math.max(0, limits.maxCredits - plan.execution.credits) : Infinity;
	const affordable = per > 0 ? Math.floor(creditRoom / per + 1e-9) : Infinity;
	const byCredits = Math.max(0, rest.length - affordable);
	rest = rest.slice(0, affordable);
	// At the pace: at most requestsPerMinute requests start in each minute.
	const pace = settings.requestsPerMinute;
	const startable =
		limits.maxRunMinutes > 0
			? pace * Math.ceil(limits.maxRunMinutes) * MAX_IDENTIFIERS_PER_REQUEST
			: Infinity;
	const byTime = Math.max(0, rest.length - startable);
	rest = rest.slice(0, startable);
	const requests = Math.ceil(rest.length / MAX_IDENTIFIERS_PER_REQUEST);

	const transport = await connect(this, settings, plan.run.stats);
	const balance = await readBalance(this, transport);
	const mostCredits = rest.length * per;
	const json: IDataObject = {
		items: items.length,
		invalidItems: plan.run.itemErrors.length,
		itemsWithoutIdentifier: plan.run.valid.filter(({ identifiers }) => identifiers.length === 0)
			.length,
		identifiers: plan.run.valid.reduce((sum, { identifiers }) => sum + identifiers.length, 0),
		distinctIdentifiers: plan.distinct.length,
		answeredInThisExecution: plan.distinct.length - plan.candidates.length,
		rememberedIdentifiers: remembered.size,
		heldBackByMaxIdentifiers: byCount,
		heldBackByMaxCredits: byCredits,
		heldBackByMaxRunMinutes: byTime,
		identifiersToSend: rest.length,
		requests,
		minutes: requests === 0 ? 0 : Math.floor((requests - 1) / pace),
		creditsPerIdentifier: per,
		mostCredits,
		balance,
		enoughCredits: balance === null ? null : balance >= mostCredits,
	};
	if (plan.run.itemErrors.length > 0) json.firstInvalidItem = plan.run.itemErrors[0].message;
	this.addExecutionHints({
		message: `Estimate: ${rest.length} identifiers to send in ${requests} requests, at most ${formatCredits(mostCredits)} credits${balance === null ? '' : `; balance ${formatCredits(balance)}`}. Nothing was bought.`,
		type: 'info',
		location: 'outputPane',
	});
	return [[{ json, pairedItem: items.map((_, item) => ({ item })) }]];
}
