// The example workflows users get (examples/*.json, else scripts/demo-workflow.json), with every
// Crustdata credential reference pointed at one credential: used by `npm start` and the e2e test
// that runs the examples.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './n8n-host.mjs';

const EXAMPLES_DIR = path.join(ROOT, 'examples');
const DEMO_WORKFLOW = path.join(ROOT, 'scripts', 'demo-workflow.json');
export const CREDENTIAL_TYPE = 'crustdataContactApi';

export function exampleFiles() {
	if (!fs.existsSync(EXAMPLES_DIR)) return [DEMO_WORKFLOW];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => path.join(EXAMPLES_DIR, f));
}

/** @param {{id: string, name: string}} credential */
export function exampleWorkflows(credential, files = exampleFiles()) {
	return files.map((file) => {
		const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
		for (const node of workflow.nodes ?? []) {
			if (node.credentials?.[CREDENTIAL_TYPE])
				node.credentials[CREDENTIAL_TYPE] = { ...credential };
		}
		return { ...workflow, active: false };
	});
}
