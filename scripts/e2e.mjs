// `npm run test:e2e`: build, ensure the n8n host, run only the end-to-end tests.
import { ensureDeps } from './ensure-deps.mjs';
import { build, runE2E, summary } from './steps.mjs';

try {
	ensureDeps();
	await build();
	process.exitCode = summary([await runE2E()]);
} catch (error) {
	console.error(`\n${error.message}`);
	process.exitCode = 1;
}
