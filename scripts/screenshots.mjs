#!/usr/bin/env node
// README pictures, taken from a running n8n so that one command refreshes them:
//
//   npm start                          # n8n + simulator + credential + examples, in one terminal
//   node scripts/screenshots.mjs       # in another; writes docs/images/*.png
//
// Installs what it needs when it is missing: Debian's `chromium` (apt-get, as root) and the
// `playwright-core` devDependency (npm). Sets up n8n's owner account through the REST API when
// the instance has none yet, logs in, opens example 1, runs it and saves:
//   docs/images/node-panel.png        the Crustdata node's panel after the run (input, parameters, output)
//   docs/images/example-workflow.png  example 1 on the canvas after the run, with item counts
//   docs/images/example-output.png    the output of example 1's last node, ready for a CRM
//
// Environment: N8N_URL (default http://127.0.0.1:5678); N8N_OWNER_EMAIL and N8N_OWNER_PASSWORD
// (default: the demo owner `npm start` keeps in its user folder's .demo-owner.json: see demoFolder()
// in n8n-host.mjs, or N8N_DEMO_FOLDER);
// SCREENSHOTS_DIR (default docs/images).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoFolder } from './n8n-host.mjs';
import { checkLogin, jsonAnswer, setUpOwner, waitForReadiness } from './n8n-process.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N8N_URL = (process.env.N8N_URL ?? 'http://127.0.0.1:5678').replace(/\/+$/, '');
const OWNER = ownerAccount();
const OUT_DIR = path.resolve(ROOT, process.env.SCREENSHOTS_DIR ?? 'docs/images');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const VIEWPORT = { width: 1920, height: 1080 };

// Example 1, as imported from examples/ (found by id, else by name).
const EXAMPLE = {
	id: 'crustdataLeads01',
	file: 'examples/1-enrich-leads-deliverable-emails.json',
	crustdataNode: 'Crustdata Contact Enrich',
	lastNode: 'CRM Record',
};

const log = (line) => console.log(`[screenshots] ${line}`);

/**
 * Who to log in as: N8N_OWNER_EMAIL/N8N_OWNER_PASSWORD, else the demo owner `npm start` made
 * (kept in its user folder), else an owner this script sets up on a fresh instance.
 */
function ownerAccount() {
	const fallback = {
		email: 'owner@example.com',
		password: 'Crustdata-Screens-2026',
		firstName: 'Ada',
		lastName: 'Owner',
	};
	const demoFile = path.join(demoFolder(), '.demo-owner.json');
	const demo = fs.existsSync(demoFile) ? JSON.parse(fs.readFileSync(demoFile, 'utf8')) : {};
	return {
		...fallback,
		...demo,
		...(process.env.N8N_OWNER_EMAIL && { email: process.env.N8N_OWNER_EMAIL }),
		...(process.env.N8N_OWNER_PASSWORD && { password: process.env.N8N_OWNER_PASSWORD }),
	};
}

function run(command, args, options = {}) {
	log(`${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return;
	if (process.getuid?.() !== 0) {
		throw new Error(
			`${CHROMIUM} is missing: install it with "sudo apt-get update && sudo apt-get install -y chromium"`,
		);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	run('apt-get', ['update'], { env });
	run('apt-get', ['install', '-y', 'chromium'], { env });
}

async function loadPlaywright() {
	try {
		return await import('playwright-core');
	} catch {
		// A devDependency: `npm ci` installs it; install scripts stay off, as everywhere here.
		run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts']);
		return await import('playwright-core');
	}
}

function waitForN8n(timeoutMs = 120_000) {
	return waitForReadiness(N8N_URL, {
		timeoutMs,
		hint: 'start it with "npm start" first',
		onWait: (attempt) => {
			if (attempt % 10 === 0) log(`waiting for n8n at ${N8N_URL} (start it with "npm start")`);
		},
	});
}

/** POST through the browser's request context, so the login cookie lands in the browser. */
function browserPost(request) {
	return async (url, body) => {
		const res = await request.post(url, { data: body });
		return jsonAnswer(res.status(), res.headers()['content-type'], await res.text());
	};
}

/** Owner account: set it up on a fresh instance, then log in (the cookie lands in the browser). */
async function logIn(request) {
	const post = browserPost(request);
	if ((await setUpOwner(N8N_URL, OWNER, { post })) === 'created') {
		log(`set up the owner account ${OWNER.email}`);
	}
	await checkLogin(N8N_URL, OWNER, {
		post,
		hint: "set N8N_OWNER_EMAIL and N8N_OWNER_PASSWORD to this instance's owner",
	});
}

async function findExampleWorkflow(request) {
	const byId = await request.get(`${N8N_URL}/rest/workflows/${EXAMPLE.id}`);
	if (byId.ok()) return EXAMPLE.id;
	const { name } = JSON.parse(fs.readFileSync(path.join(ROOT, EXAMPLE.file), 'utf8'));
	const list = await (await request.get(`${N8N_URL}/rest/workflows`)).json();
	const found = (list.data ?? []).find((workflow) => workflow.name === name);
	if (!found)
		throw new Error(`example 1 ("${name}") is not in this n8n: "npm start" imports examples/`);
	return found.id;
}

const canvasNode = (page, name) =>
	page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);

/** Close whatever n8n pops up over the editor (surveys, "what's new", toasts). */
async function dismissOverlays(page) {
	for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
	await page
		.locator('.el-notification .el-notification__closeBtn')
		.evaluateAll((buttons) => buttons.forEach((b) => b.click()));
}

/** Open a node's panel; `input`/`output` pick how each side shows its data (schema, table, json). */
async function openNodePanel(page, name, { input, output } = {}) {
	await canvasNode(page, name).dblclick();
	const ndv = page.locator('[data-test-id="ndv"]').first();
	await ndv.waitFor({ state: 'visible' });
	for (const [panel, mode] of [
		['ndv-input-panel', input],
		['output-panel', output],
	]) {
		if (mode)
			await ndv.locator(`[data-test-id="${panel}"] [data-test-id="radio-button-${mode}"]`).click();
	}
	await page.waitForTimeout(800);
}

async function closeNodePanel(page) {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'hidden' });
}

/** `clip`: a region of the page; without it, the whole viewport. */
async function shoot(page, file, clip) {
	const target = path.join(OUT_DIR, file);
	await page.screenshot({ path: target, ...(clip && { clip }) });
	log(`saved ${path.relative(ROOT, target)}`);
}

/**
 * The canvas region that holds every node and sticky note. Node labels hang below a node's
 * box and the last output's "+" sticks out on the right, hence the wider margins there.
 */
async function canvasContentBox(page, margin = { left: 48, top: 48, right: 140, bottom: 96 }) {
	const boxes = await page
		.locator('[data-test-id="canvas-node"], [data-test-id="sticky"]')
		.evaluateAll((elements) =>
			elements.map((element) => {
				const { left, top, right, bottom } = element.getBoundingClientRect();
				return { left, top, right, bottom };
			}),
		);
	const left = Math.max(0, Math.min(...boxes.map((b) => b.left)) - margin.left);
	const top = Math.max(0, Math.min(...boxes.map((b) => b.top)) - margin.top);
	const right = Math.min(VIEWPORT.width, Math.max(...boxes.map((b) => b.right)) + margin.right);
	const bottom = Math.min(VIEWPORT.height, Math.max(...boxes.map((b) => b.bottom)) + margin.bottom);
	return { x: left, y: top, width: right - left, height: bottom - top };
}

async function main() {
	ensureChromium();
	const { chromium } = await loadPlaywright();
	await waitForN8n();
	fs.mkdirSync(OUT_DIR, { recursive: true });

	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-screenshots-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: VIEWPORT,
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		page.setDefaultTimeout(30_000);
		await logIn(page.request);
		const id = await findExampleWorkflow(page.request);

		await page.goto(`${N8N_URL}/workflow/${id}`);
		await canvasNode(page, EXAMPLE.crustdataNode).waitFor({ state: 'visible' });
		await page.waitForTimeout(1500);
		await dismissOverlays(page);

		log('running example 1');
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		// The run is done when the last node shows its output count on the canvas.
		await canvasNode(page, EXAMPLE.lastNode)
			.locator('[data-test-id="canvas-node-status-success"]')
			.waitFor({ state: 'visible', timeout: 120_000 });
		await page.waitForTimeout(1000);
		await dismissOverlays(page);
		await page.locator('[data-test-id="zoom-to-fit"]').click();
		await page.waitForTimeout(800);
		await shoot(page, 'example-workflow.png', await canvasContentBox(page));

		// Input as the lead table, output as JSON: the emails and their status are in view.
		await openNodePanel(page, EXAMPLE.crustdataNode, { input: 'table', output: 'json' });
		await shoot(page, 'node-panel.png');
		await closeNodePanel(page);

		await openNodePanel(page, EXAMPLE.lastNode, { output: 'table' });
		await shoot(page, 'example-output.png');
		await closeNodePanel(page);
	} finally {
		await context.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(`[screenshots] ${error.message}`);
	process.exitCode = 1;
});
