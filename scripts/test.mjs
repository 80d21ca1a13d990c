// `npm test`: everything, from a fresh clone with no prior `npm install`.
// deps → types → jest (unit + integration) and build, while the n8n host installs → e2e in a real n8n
// → one total line.
import { ensureDeps } from './ensure-deps.mjs';
import { build, runE2E, runJest, startHostInstall, summary, typecheck } from './steps.mjs';

try {
	ensureDeps();
	// On a cold cache the n8n host installs while jest and the build run.
	const waitForHost = startHostInstall();
	await typecheck();
	const jest = await runJest();
	await build();
	const e2e = await runE2E(waitForHost);
	console.log(
		`\n[jest] ${jest.passed} passed, ${jest.failed} failed; [e2e] ${e2e.passed} passed, ${e2e.failed} failed`,
	);
	process.exitCode = summary([jest, e2e]);
} catch (error) {
	console.error(`\n${error.message}`);
	process.exitCode = 1;
}
