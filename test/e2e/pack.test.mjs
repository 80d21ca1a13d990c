// What `npm pack` ships: package.json, README.md, LICENSE and the built node, nothing else.
//
// The expected list is derived from the sources, so a new source file needs no edit here, but
// anything the build leaves in dist/ without n8n needing it fails the test: `n8n-node build`
// copies every *.png and *.svg of the repository into dist/ (README screenshots in docs/images
// would land in dist/docs/images), and tsc leaves dist/tsconfig.tsbuildinfo there.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function run(command, args) {
	const result = spawnSync(command, args, {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	assert.equal(
		result.status,
		0,
		`${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`,
	);
	return result.stdout;
}

/** Relative paths (with `/`) of the files under `dir` whose name passes `keep`. */
function walk(dir, keep) {
	const out = [];
	const visit = (current) => {
		for (const entry of fs.readdirSync(path.join(ROOT, current), { withFileTypes: true })) {
			const rel = path.posix.join(current, entry.name);
			if (entry.isDirectory()) visit(rel);
			else if (keep(entry.name)) out.push(rel);
		}
	};
	visit(dir);
	return out;
}

/** What the build makes of the sources: .js, .d.ts and .js.map per .ts; codex JSON; icons. */
function expectedFiles() {
	const files = ['LICENSE', 'README.md', 'index.js', 'package.json'];
	for (const dir of ['credentials', 'nodes']) {
		for (const source of walk(dir, (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))) {
			const base = `dist/${source.slice(0, -'.ts'.length)}`;
			files.push(`${base}.js`, `${base}.d.ts`, `${base}.js.map`);
		}
		for (const json of walk(dir, (name) => name.endsWith('.json'))) files.push(`dist/${json}`);
	}
	for (const icon of walk('icons', (name) => /\.(svg|png)$/.test(name))) files.push(`dist/${icon}`);
	return files.sort();
}

function packedFiles() {
	// Build first when dist/ is missing (the e2e runner builds before it runs the tests).
	if (!fs.existsSync(path.join(ROOT, manifest.n8n.nodes[0]))) run('npm', ['run', 'build']);
	const [info] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts']));
	return info.files.map((file) => file.path).sort();
}

test('npm pack ships package.json, README.md, LICENSE, index.js and the built node only', () => {
	const packed = packedFiles();

	assert.deepEqual(packed, expectedFiles());

	// What n8n loads: every node and credential the manifest lists, the codex beside each node,
	// and the icons they point at (light and dark).
	for (const entry of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		assert.ok(packed.includes(entry), `${entry} (package.json "n8n") is not packed`);
	}
	for (const node of manifest.n8n.nodes) {
		const codex = node.replace(/\.js$/, '.json');
		assert.ok(packed.includes(codex), `the codex ${codex} is not packed`);
	}
	for (const icon of ['dist/icons/crustdata.svg', 'dist/icons/crustdata.dark.svg']) {
		assert.ok(packed.includes(icon), `${icon} is not packed`);
	}

	const strays = packed.filter(
		(file) =>
			!['LICENSE', 'README.md', 'index.js', 'package.json'].includes(file) &&
			(!file.startsWith('dist/') ||
				/(^|\/)(test|simulator|scripts|examples|docs)\//.test(file) ||
				(file.endsWith('.ts') && !file.endsWith('.d.ts')) ||
				file.endsWith('.tsbuildinfo')),
	);
	assert.deepEqual(strays, [], 'files n8n does not need are packed');
});

test('the README it ships stays at most 15 KB, with the quick start first', () => {
	const readme = fs.readFileSync(path.join(ROOT, 'README.md'));
	assert.ok(readme.length <= 15_000, `README.md is ${readme.length} bytes`);
	const headings = readme.toString('utf8').match(/^## .*/gm) ?? [];
	assert.equal(headings[0], '## Quick start');
});
