import { createHash } from 'crypto';
import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

/**
 * n8n's deduplication store ("items processed in previous executions") as n8n 2.41's CLI keeps it
 * in its database (`deduplication-helper.js`), in memory: one list of md5 hashes (base64) of
 * `String(value)` per workflow and node, new values recorded at check time, `maxEntries` dropping
 * the oldest. Only the `entries` mode, the one the node uses.
 */
export class MemoryDeduplicator implements IDataDeduplicator {
	readonly rows = new Map<string, string[]>();

	private static rowKey(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): string {
		const node = scope === 'node' ? `n:${contextData.node?.id ?? ''}` : '';
		return `${String(contextData.workflow.id)}|${node}`;
	}

	private static hash(value: DeduplicationItemTypes): string {
		return createHash('md5').update(value.toString()).digest('base64');
	}

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const key = MemoryDeduplicator.rowKey(scope, contextData);
		const row = this.rows.get(key) ?? [];
		const seen = new Set(row);
		const result: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const hash = MemoryDeduplicator.hash(item);
			if (seen.has(hash)) result.processed.push(item);
			else {
				result.new.push(item);
				row.push(hash);
			}
		}
		if (options.maxEntries) row.splice(0, Math.max(0, row.length - options.maxEntries));
		this.rows.set(key, row);
		return result;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		const row = this.rows.get(MemoryDeduplicator.rowKey(scope, contextData));
		if (row === undefined) return;
		for (const item of items) {
			const index = row.indexOf(MemoryDeduplicator.hash(item));
			if (index !== -1) row.splice(index, 1);
		}
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<void> {
		this.rows.delete(MemoryDeduplicator.rowKey(scope, contextData));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		contextData: ICheckProcessedContextData,
	): Promise<number> {
		return this.rows.get(MemoryDeduplicator.rowKey(scope, contextData))?.length ?? 0;
	}
}

/** The store of this test process (n8n's service takes one for the life of the process). */
export const deduplicationStore = new MemoryDeduplicator();

let initialised = false;

export async function ensureDeduplicationStore(): Promise<MemoryDeduplicator> {
	if (!initialised) {
		await DataDeduplicationService.init(deduplicationStore);
		initialised = true;
	}
	return deduplicationStore;
}
