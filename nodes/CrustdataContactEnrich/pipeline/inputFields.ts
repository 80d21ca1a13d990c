import type { IDataObject } from 'n8n-workflow';

// "Include Input Fields": an output item also carries its input item's fields, so a CRM row can be
// written back without rebuilding it. Neither side silently overwrites the other: the node's own
// fields keep their names, and an input field with the same name is kept beside them as
// `input_<name>` (`input_input_<name>` if that too is taken). The run's hint lists every rename.

export const INPUT_FIELD_PREFIX = 'input_';

/** The output json with the input's fields added, and the input fields that had to be renamed. */
export function withInputFields(
	input: IDataObject,
	output: IDataObject,
): { json: IDataObject; renamed: string[] } {
	const json: IDataObject = {};
	const renamed: string[] = [];
	for (const [name, value] of Object.entries(input)) {
		if (!(name in output)) {
			json[name] = value;
			continue;
		}
		let kept = `${INPUT_FIELD_PREFIX}${name}`;
		while (kept in output || kept in input || kept in json) kept = `${INPUT_FIELD_PREFIX}${kept}`;
		json[kept] = value;
		renamed.push(name);
	}
	return { json: { ...json, ...output }, renamed };
}
