import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { eachAnswer } from '../../pipeline/assembleItems';
import { shapeEntry } from '../../pipeline/shapeOutput';
import { CreditBudget } from '../../transport/budget';
import type { EnrichEntry } from '../../types';
import type { EnrichPlan } from '../enrichPlan';
import { planEnrichRun } from '../enrichPlan';
import { readEnrichSettings } from '../enrichSettings';
import { finishRun } from '../run';
import { summaryHint } from '../runStats';
import { connect } from '../settings';
import { sendAll } from './sendAll';

// Enrich: read → validate → de-duplicate → (memory, budgets) → chunk → send → map back → output.

/** After the run: the memories learn what was bought, and give back what was not. */
async function remember(plan: EnrichPlan, claimed: string[]) {
	const answered = new Map<string, EnrichEntry>();
	for (const [identifier, outcome] of plan.outcomes) {
		if (outcome.kind === 'answered') answered.set(identifier, outcome.answer);
	}
	if (plan.lookup !== undefined) {
		await plan.lookup.keep(claimed.filter((identifier) => answered.has(identifier)));
		await plan.lookup.release(claimed.filter((identifier) => !answered.has(identifier)));
	}
	return answered;
}

export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[][]> {
	const settings = readEnrichSettings(this);
	const plan = await planEnrichRun(this, items, settings);
	const { run } = plan;
	const claimed: string[] = [];
	const spentBefore = plan.execution.credits;
	const budget = new CreditBudget(settings.limits.maxCredits, spentBefore);
	try {
		if (plan.candidates.length > 0) {
			const connection = await connect(this, settings, run.stats);
			const transport = { ...connection, budget, deadline: plan.deadline };
			await sendAll({
				context: this,
				plan,
				settings,
				transport,
				stats: run.stats,
				continueOnFail: run.continueOnFail,
				claimed,
			});
		}
	} finally {
		// Even when the run stops with an error: what was bought stays in this execution's memory
		// (so n8n's "Retry On Fail" or an agent's next call does not buy it again).
		const answered = await remember(plan, claimed);
		plan.execution.record({
			credits: budget.spent - spentBefore,
			sent: run.stats.sent,
			answers: answered,
		});
	}
	run.stats.fromMemory = plan.distinct.length - plan.candidates.length;
	run.stats.blankItems = run.valid.filter(({ identifiers }) => identifiers.length === 0).length;
	run.stats.countOutcomes(plan.outcomes);
	const shape = eachAnswer((identifier, entry: EnrichEntry) =>
		shapeEntry(identifier, entry, settings.shape),
	);
	return finishRun(this, run, run.valid, plan.outcomes, shape, summaryHint(run.stats));
}
