// `npm test`: everything, from a fresh clone with no prior `npm install`.
// deps → jest (unit + integration) → build → n8n host → e2e in a real n8n → one total line.
import { ensureDeps } from './ensure-deps.mjs';
import { build, runE2E, runJest, summary } from './steps.mjs';

try {
	ensureDeps();
	const jest = await runJest();
	await build();
	const e2e = await runE2E();
	console.log(`\n[jest] ${jest.passed} passed, ${jest.failed} failed; [e2e] ${e2e.passed} passed, ${e2e.failed} failed`);
	process.exitCode = summary([jest, e2e]);
} catch (error) {
	console.error(`\n${error.message}`);
	process.exitCode = 1;
}
