// `npm run lint` runs this: operations are siblings. A file under
// nodes/CrustdataContactEnrich/actions/<operation>/ imports nothing from another operation's
// folder; what two operations share lives beside them (actions/*.ts, actions/batch/).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ACTIONS = path.join(ROOT, 'nodes', 'CrustdataContactEnrich', 'actions');
const SHARED_FOLDERS = new Set(['batch']);

export function operationFolders(actions = ACTIONS) {
	return fs
		.readdirSync(actions, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && !SHARED_FOLDERS.has(entry.name))
		.map((entry) => entry.name)
		.sort();
}

/** `file → specifier` for every import that reaches into another operation's folder. */
export function crossings(actions = ACTIONS) {
	const operations = operationFolders(actions);
	const found = [];
	for (const operation of operations) {
		const folder = path.join(actions, operation);
		for (const file of fs.readdirSync(folder).filter((name) => name.endsWith('.ts'))) {
			const source = fs.readFileSync(path.join(folder, file), 'utf8');
			for (const [, specifier] of source.matchAll(/from '(\.[^']*)'/g)) {
				const [top, ...rest] = path
					.relative(actions, path.resolve(folder, specifier))
					.split(path.sep);
				if (rest.length > 0 && top !== operation && operations.includes(top)) {
					found.push(`actions/${operation}/${file} → ${specifier}`);
				}
			}
		}
	}
	return found;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const found = crossings();
	if (found.length > 0) {
		console.error(`An operation imports from another operation's folder:\n  ${found.join('\n  ')}`);
		console.error('Move what they share beside them (actions/*.ts or actions/batch/).');
		process.exit(1);
	}
	console.log(`layout: ${operationFolders().length} operations, none imports from another`);
}
