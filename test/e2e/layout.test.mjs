// The layout rule `npm run lint` checks (scripts/check-layout.mjs), proven able to fail.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ACTIONS, crossings, operationFolders } from '../../scripts/check-layout.mjs';

test('no operation imports from another operation in the real tree', () => {
	assert.deepEqual(operationFolders(ACTIONS), [
		'bulkEnrich',
		'enrich',
		'estimate',
		'getBulkResults',
	]);
	assert.deepEqual(crossings(ACTIONS), []);
});

test('an import into a sibling operation is reported, one into a shared folder is not', () => {
	const actions = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
	for (const folder of ['batch', 'one', 'two']) fs.mkdirSync(path.join(actions, folder));
	fs.writeFileSync(path.join(actions, 'run.ts'), '');
	fs.writeFileSync(
		path.join(actions, 'two', 'two.operation.ts'),
		"import { a } from '../one/one.operation';\nimport { b } from '../batch/jobs';\nimport { c } from '../run';\n",
	);
	try {
		assert.deepEqual(crossings(actions), ['actions/two/two.operation.ts → ../one/one.operation']);
	} finally {
		fs.rmSync(actions, { recursive: true, force: true });
	}
});
