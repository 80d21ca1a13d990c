import { decodeResultsFile, isGzip } from '../../nodes/CrustdataContactEnrich/pipeline/gunzip';

// Gzip with the web CompressionStream, as the node gunzips with DecompressionStream.
async function gzip(text: string): Promise<Uint8Array> {
	const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
	return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('decodeResultsFile', () => {
	it('gunzips JSON Lines served without content-encoding', async () => {
		const text = '{"original_identifier":"https://www.linkedin.com/in/ada"}\n';
		const bytes = await gzip(text);
		expect(isGzip(bytes)).toBe(true);
		await expect(decodeResultsFile(bytes)).resolves.toBe(text);
	});

	it('handles a large file (the stream buffer fills before it is read)', async () => {
		const line = JSON.stringify({ original_identifier: 'x', data: { padding: 'y'.repeat(200) } });
		const text = `${Array.from({ length: 5000 }, () => line).join('\n')}\n`;
		await expect(decodeResultsFile(await gzip(text))).resolves.toBe(text);
	});

	it('reads a Buffer from the request helper', async () => {
		const bytes = Buffer.from(await gzip('é\n'));
		await expect(decodeResultsFile(bytes)).resolves.toBe('é\n');
	});

	it('passes through a file that something already unpacked', async () => {
		await expect(decodeResultsFile(new TextEncoder().encode('{"a":1}\n'))).resolves.toBe(
			'{"a":1}\n',
		);
	});

	it('rejects a truncated gzip file', async () => {
		const bytes = await gzip('{"a":1}\n'.repeat(100));
		await expect(decodeResultsFile(bytes.slice(0, bytes.length - 10))).rejects.toThrow();
	});

	it.each([
		['empty bytes', new Uint8Array([]), false],
		['one byte', new Uint8Array([0x1f]), false],
		['the magic number', new Uint8Array([0x1f, 0x8b, 8]), true],
	])('isGzip: %s', (_label, bytes, expected) => {
		expect(isGzip(bytes)).toBe(expected);
	});
});
