// `npm run test:compat` (scripts/compat.mjs): the oldest n8n the package runs on, proven. Runs
// example 1 (examples/1-enrich-leads-deliverable-emails.json) against the simulator in two real n8n
// installs, one after the other:
//
//   floor    .n8n-compat/  n8n 1.85.3 under Node 20 — n8n-workflow 1.83.0 is the first release
//                          that exports NodeConnectionTypes as a value, which the node reads when
//                          n8n loads it (n8n 1.84 and older: "Unrecognized node type").
//   current  .n8n-host/    n8n 2.41.1 under Node 24, the host of the end-to-end tests.
//
// and checks the output exactly: for every input row the email the simulator holds for that
// person, every output item paired with the row it came from, the deliverable ones at the end.
//
//   node scripts/compat.mjs               build, pack, both hosts
//   node scripts/compat.mjs floor         only the floor (or: current)
//   node scripts/compat.mjs --no-build    reuse dist/ as it is
//   node scripts/compat.mjs --source=DIR  another n8n: DIR holds a package.json and package-lock.json
//                                         like .n8n-compat/ (how the release below the floor was tried)
//
// Each host is installed once per lockfile by ensureHost() of scripts/n8n-host.mjs, into its cache
// folder (cold: 3 to 5 minutes and 1.5 GB for the floor; the run itself takes about 10 s per
// host). The floor's package.json overrides n8n-nodes-base's xlsx, which n8n 1.x takes from
// cdn.sheetjs.com, with the same SheetJS release republished on the npm registry (@e965/xlsx, as
// n8n 2.x itself uses): the registry is the only source CI needs. The n8n user folders are under
// workDir('compat'), outside the repository; n8n's output of each run is its execute.log.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../simulator/index.mjs';
import { lookupProfileUrl, profileSlug } from '../simulator/fixtures.mjs';
import { ensureDeps } from './ensure-deps.mjs';
import { exampleWorkflows } from './examples.mjs';
import {
	COMPAT_SOURCE,
	createUserFolder,
	ensureHost,
	executeWorkflow,
	importCredential,
	importWorkflow,
	installPackage,
	n8nId,
	packProject,
	PACKAGE_NAME,
	ROOT,
	workDir,
} from './n8n-host.mjs';

const EXAMPLE = path.join(ROOT, 'examples', '1-enrich-leads-deliverable-emails.json');
const KEY = 'test-key';
const CREDENTIAL = 'Crustdata (compat)';
const CRUSTDATA_TYPE = `${PACKAGE_NAME}.crustdataContactEnrich`;

const log = (line) => console.log(line);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// One run of example 1 in one host, and the checks on its output.
// ---------------------------------------------------------------------------------------------
const HOSTS = {
	floor: { label: 'floor', ensure: () => ensureHost({ source: COMPAT_SOURCE, log }) },
	current: { label: 'current', ensure: () => ensureHost({ log }) },
};

function versionsOf(host) {
	const read = (name) =>
		JSON.parse(fs.readFileSync(path.join(host.dir, 'node_modules', name, 'package.json'), 'utf8'))
			.version;
	const node = spawnSync(host.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
	return { n8n: read('n8n'), n8nWorkflow: read('n8n-workflow'), zod: read('zod'), node };
}

const pairedIndex = (item) => {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem : [item.pairedItem];
	return paired.length === 1 && typeof paired[0]?.item === 'number' ? paired[0].item : undefined;
};

/**
 * The node's own email rule (default Email Statuses, all but invalid; best first), read from the
 * build under test so that this check cannot drift from it. Called after the build exists.
 */
function loadEmailRule() {
	const require = createRequire(import.meta.url);
	const built = (file) => require(path.join(ROOT, 'dist/nodes/CrustdataContactEnrich', file));
	const { selectEmails } = built('pipeline/shapeOutput.js');
	const { DEFAULT_EMAIL_STATUSES } = built('actions/settings.js');
	return (records) => selectEmails(records, DEFAULT_EMAIL_STATUSES);
}

/** Every check on the run; returns the list of failures (empty when it passed) and the emails. */
function check(workflow, result, sim) {
	const emailsKept = loadEmailRule();
	const failures = [];
	const expect = (ok, message) => {
		if (!ok) failures.push(message);
	};
	expect(result.code === 0, `n8n execute exited with ${result.code}`);
	expect(result.secretsPrinted === 0, 'n8n printed the API key');
	const runData = result.data?.data?.resultData?.runData;
	if (!runData) {
		if (result.output.includes('Unrecognized node type')) {
			failures.push(
				"n8n did not load the node (an n8n older than the package needs? see n8n's loader error below)",
			);
		}
		failures.push(`no run data; n8n printed:\n${result.output.slice(-3000)}`);
		return { failures, emails: [] };
	}
	for (const [name, runs] of Object.entries(runData)) {
		expect(
			runs.every((r) => r.executionStatus === 'success' && !r.error),
			`node "${name}" did not succeed: ${runs[0]?.error?.message}`,
		);
	}
	const output = (name) => runData[name]?.[0]?.data?.main?.[0] ?? [];

	const crustdata = workflow.nodes.find((n) => n.type === CRUSTDATA_TYPE);
	const sourceName = Object.entries(workflow.connections).find(([, c]) =>
		c.main?.[0]?.some((e) => e.node === crustdata.name),
	)?.[0];
	const rows = output(sourceName);
	const enriched = output(crustdata.name);
	expect(rows.length > 0, `"${sourceName}" gave no rows`);

	// The Crustdata node: one item per row the simulator knows, paired with that row, with its email.
	const byRow = new Map();
	for (const [i, item] of enriched.entries()) {
		const row = pairedIndex(item);
		if (row === undefined || row >= rows.length) {
			failures.push(
				`item ${i} of "${crustdata.name}" has no usable pairedItem: ${JSON.stringify(item.pairedItem)}`,
			);
			continue;
		}
		expect(!byRow.has(row), `two items of "${crustdata.name}" are paired with row ${row}`);
		byRow.set(row, item.json);
	}
	const expectedFinal = [];
	for (const [row, { json }] of rows.entries()) {
		const person = lookupProfileUrl(json.linkedin_url)[0]?.person;
		const got = byRow.get(row);
		if (!person) {
			expect(
				got === undefined,
				`row ${row} (${json.linkedin_url}) has no match in the simulator but got an item`,
			);
			continue;
		}
		const best = emailsKept(person.business_emails)[0];
		const email = best?.email ?? null;
		const status = best?.status ?? null;
		if (!got) {
			failures.push(`row ${row} (${json.linkedin_url}) got no item`);
			continue;
		}
		expect(got.matched === true, `row ${row}: matched is ${got.matched}`);
		expect(
			profileSlug(got.identifier) === profileSlug(json.linkedin_url),
			`row ${row}: identifier ${got.identifier} is not ${json.linkedin_url}`,
		);
		expect(
			got.personId === person.crustdata_person_id,
			`row ${row}: personId ${got.personId}, expected ${person.crustdata_person_id}`,
		);
		expect(
			got.businessEmail === email,
			`row ${row}: businessEmail ${got.businessEmail}, expected ${email}`,
		);
		expect(
			got.businessEmailStatus === status,
			`row ${row}: businessEmailStatus ${got.businessEmailStatus}, expected ${status}`,
		);
		if (status === 'deliverable') {
			expectedFinal.push({
				name: json.name,
				company: json.company,
				email,
				linkedinUrl: got.identifier,
				crustdataPersonId: person.crustdata_person_id,
			});
		}
	}
	expect(
		byRow.size === enriched.length,
		`"${crustdata.name}" gave ${enriched.length} items for ${byRow.size} rows`,
	);

	// The last node joins each result back to its row with $('Sample Leads').item: pairing end to end.
	const last = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.set');
	const final = output(last.name).map((item) => item.json);
	expect(final.length > 0, `"${last.name}" gave no items`);
	expect(
		JSON.stringify(final) === JSON.stringify(expectedFinal),
		`"${last.name}" gave\n  ${JSON.stringify(final)}\nexpected\n  ${JSON.stringify(expectedFinal)}`,
	);

	const calls = sim.log.filter((e) => e.path?.startsWith('/person/'));
	expect(
		calls.length > 0 && calls.every((e) => e.status === 200),
		`API calls: ${calls.map((e) => `${e.path} ${e.status}`).join(', ')}`,
	);
	return {
		failures,
		emails: final.map((f) => f.email),
		enriched: enriched.length,
		rows: rows.length,
		calls: calls.length,
	};
}

async function runIn(which, tarball) {
	const started = Date.now();
	log(`\n[compat] ${which.label}: host`);
	const host = await which.ensure();
	const installMs = Date.now() - started;
	const versions = versionsOf(host);
	log(
		`[compat] ${which.label}: n8n ${versions.n8n}, n8n-workflow ${versions.n8nWorkflow}, zod ${versions.zod}, Node ${versions.node}`,
	);

	const runStarted = Date.now();
	// Outside the repository: from a user folder under ROOT, require('n8n-workflow') and
	// require('zod') in the package would find the project's own devDependencies (n8n-workflow
	// 2.41, zod 3.25) in ROOT/node_modules before n8n's, and the floor would pass in any n8n.
	// installPackage() refuses a folder where that happens.
	const userFolder = workDir('compat', `n8n-${versions.n8n}`);
	fs.rmSync(userFolder, { recursive: true, force: true });
	const ctx = await createUserFolder(userFolder);
	installPackage(userFolder, { tarball, log });
	const sim = await startSimulator({ port: 0, keys: { [KEY]: {} } });
	try {
		const [credentialId] = await importCredential(host, ctx, {
			id: n8nId(`compat/${CREDENTIAL}`),
			name: CREDENTIAL,
			data: { apiKey: KEY, baseUrl: sim.url },
		});
		const [workflow] = exampleWorkflows({ id: credentialId, name: CREDENTIAL }, [EXAMPLE]);
		const [id] = await importWorkflow(host, ctx, workflow);
		const result = await executeWorkflow(host, ctx, id);
		fs.writeFileSync(path.join(userFolder, 'execute.log'), result.output);
		const outcome = check(workflow, result, sim);
		const runMs = Date.now() - runStarted;
		const ok = outcome.failures.length === 0;
		log(
			`[compat] ${which.label}: ${ok ? 'passed' : 'FAILED'} in ${seconds(runMs)} (n8n output: ${userFolder}/execute.log)`,
		);
		if (ok) {
			log(
				`[compat]   ${outcome.rows} rows → ${outcome.enriched} enriched items, each paired with its row (${outcome.calls} API call)`,
			);
			log(`[compat]   deliverable: ${outcome.emails.join(', ')}`);
		}
		for (const failure of outcome.failures) log(`[compat]   ✗ ${failure}`);
		return { ...which, versions, installed: host.installed, installMs, runMs, ok };
	} finally {
		await sim.close();
	}
}

async function main() {
	const args = process.argv.slice(2);
	const only = args.find((a) => !a.startsWith('--'));
	if (only && !HOSTS[only]) throw new Error(`unknown host "${only}": floor or current`);
	const source = args.find((a) => a.startsWith('--source='))?.slice('--source='.length);
	const chosen = source
		? [{ label: 'source', ensure: () => ensureHost({ source: path.resolve(source), log }) }]
		: only
			? [HOSTS[only]]
			: [HOSTS.floor, HOSTS.current];
	const started = Date.now();

	ensureDeps();
	if (!args.includes('--no-build')) {
		log('[compat] npm run build');
		const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
		if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status})`);
	} else if (!fs.existsSync(path.join(ROOT, 'dist'))) {
		throw new Error('--no-build, but there is no dist/: run npm run build');
	}
	const tarball = packProject({ log });
	const results = [];
	try {
		// One n8n at a time: the hosts run one after the other.
		for (const which of chosen) results.push(await runIn(which, tarball));
	} finally {
		fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
	}

	log('\n[compat] host     n8n        n8n-workflow  Node       host install       example 1');
	for (const r of results) {
		const install = r.installed ? `cold ${seconds(r.installMs)}` : 'cached';
		log(
			`[compat] ${r.label.padEnd(8)} ${r.versions.n8n.padEnd(10)} ${r.versions.n8nWorkflow.padEnd(13)} ${r.versions.node.padEnd(10)} ${install.padEnd(18)} ${r.ok ? 'passed' : 'FAILED'} (${seconds(r.runMs)})`,
		);
	}
	log(`[compat] total ${seconds(Date.now() - started)}`);
	return results.every((r) => r.ok) ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().then(
		(code) => (process.exitCode = code),
		(error) => {
			console.error(`\n[compat] ${error.stack ?? error.message}`);
			process.exitCode = 1;
		},
	);
}
