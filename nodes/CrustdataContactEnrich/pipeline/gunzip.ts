// Results files are gzipped but served without `content-encoding`, so nothing on the way
// unpacks them. Node code may not import `zlib`; `DecompressionStream` is a web global in
// Node 18+ and in n8n, and does the same work.

/** Whether the bytes start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
	return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
	const reader = stream.getReader();
	const parts: Uint8Array[] = [];
	let length = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		parts.push(value);
		length += value.length;
	}
	const joined = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		joined.set(part, offset);
		offset += part.length;
	}
	return joined;
}

/**
 * The file as text: gunzipped when it is gzip, else decoded as it is (a proxy or a future API
 * version may unpack it first). Rejects on a corrupt or truncated gzip stream.
 */
export async function decodeResultsFile(bytes: Uint8Array): Promise<string> {
	const decoder = new TextDecoder('utf-8');
	if (!isGzip(bytes)) return decoder.decode(bytes);
	const gunzip = new DecompressionStream('gzip');
	const writer = gunzip.writable.getWriter();
	// Write and read at once: a large file fills the stream's buffer before it is read.
	// A copy: the stream takes only ArrayBuffer-backed views (a Buffer may share a pooled one).
	const writing = writer.write(new Uint8Array(bytes)).then(async () => await writer.close());
	const [, text] = await Promise.all([writing, readAll(gunzip.readable)]);
	return decoder.decode(text);
}
