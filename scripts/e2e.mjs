// `npm run test:e2e`: build, ensure the n8n host, run only the end-to-end tests.
import { ensureDeps } from './ensure-deps.mjs';
import { build, runE2E, startHostInstall, summary } from './steps.mjs';

try {
	ensureDeps();
	const waitForHost = startHostInstall();
	await build();
	process.exitCode = summary([await runE2E(waitForHost)]);
} catch (error) {
	console.error(`\n${error.message}`);
	process.exitCode = 1;
}
