import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { settingsError } from './settings';

// What a run may do: the budgets of one execution ("per Run" = per execution), rows without an
// identifier, and the memory across runs. Any option that can hold identifiers back shows the
// node's second output, Not Sent.

export type NoIdentifierAction = 'error' | 'notSent';

export interface RunLimits {
	/** 0 = no limit. */
	maxIdentifiers: number;
	/** 0 = no limit. */
	maxCredits: number;
	/** 0 = no limit. */
	maxRunMinutes: number;
	noIdentifier: NoIdentifierAction;
}

export interface MemorySettings {
	skipLookedUp: boolean;
	lookUpAgainAfterDays: number;
	forget: 'none' | 'items' | 'all';
}

/** @default 30 */
export const DEFAULT_LOOK_UP_AGAIN_AFTER_DAYS = 30;

/**
 * The node's outputs for these parameters: Not Sent (index 1) only when an option that can hold
 * identifiers back is on. It runs as the `outputs` expression in the editor (so it is plain
 * JavaScript with no imports: n8n evaluates its source) and in execute(), so the two agree.
 */
export function configuredOutputs(parameters: { operation?: unknown; options?: unknown }) {
	const options = (parameters.options || {}) as Record<string, unknown>;
	const positive = (name: string) => Number(options[name]) > 0;
	const blanksHeld = options.noIdentifier === 'notSent';
	const heldByEnrich =
		positive('maxIdentifiers') ||
		positive('maxCredits') ||
		positive('maxRunMinutes') ||
		options.skipLookedUp === true ||
		blanksHeld;
	const heldByBulk = positive('maxIdentifiers') || blanksHeld;
	const holds =
		(parameters.operation === 'enrich' && heldByEnrich) ||
		(parameters.operation === 'bulkEnrich' && heldByBulk);
	return holds
		? [
				{ type: 'main', displayName: 'Done' },
				{ type: 'main', displayName: 'Not Sent' },
			]
		: [{ type: 'main' }];
}

export const OUTPUTS_EXPRESSION: `={{${string}}}` = `={{(${configuredOutputs.toString()})($parameter)}}`;

/** Whether this run shows the Not Sent output (the same rule as the editor's). */
export function showsNotSent(context: IExecuteFunctions): boolean {
	const operation = context.getNodeParameter('operation', 0);
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	return configuredOutputs({ operation, options }).length > 1;
}

function nonNegative(
	context: IExecuteFunctions,
	options: IDataObject,
	name: string,
	label: string,
) {
	const value = Number(options[name] ?? 0);
	if (!(value >= 0)) {
		throw settingsError(
			context,
			`"${label}" must be 0 (no limit) or more, got ${String(options[name])}.`,
		);
	}
	return value;
}

export function readRunLimits(context: IExecuteFunctions, options: IDataObject): RunLimits {
	return {
		maxIdentifiers: Math.floor(
			nonNegative(context, options, 'maxIdentifiers', 'Max Identifiers per Run'),
		),
		maxCredits: nonNegative(context, options, 'maxCredits', 'Max Credits per Run'),
		maxRunMinutes: nonNegative(context, options, 'maxRunMinutes', 'Max Run Time (Minutes)'),
		noIdentifier: options.noIdentifier === 'notSent' ? 'notSent' : 'error',
	};
}

export function readMemorySettings(
	context: IExecuteFunctions,
	options: IDataObject,
): MemorySettings {
	const days = Number(options.lookUpAgainAfterDays ?? DEFAULT_LOOK_UP_AGAIN_AFTER_DAYS);
	if (!(days > 0)) {
		throw settingsError(
			context,
			`"Look Up Again After (Days)" must be more than 0, got ${String(options.lookUpAgainAfterDays)}.`,
		);
	}
	const forget = options.forgetLookedUp;
	return {
		skipLookedUp: options.skipLookedUp === true,
		lookUpAgainAfterDays: days,
		forget: forget === 'items' || forget === 'all' ? forget : 'none',
	};
}
