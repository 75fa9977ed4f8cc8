// Layer 2 (formats): decide which reader a file needs from its first bytes (never from its extension), looking
// through gzip so `.heapsnapshot.gz` and `.pyheap.gz` work too.
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { GcshError } from '../base/errors.js';

export type SnapshotFormat = 'heapsnapshot' | 'pyheap';

/** First bytes of a file, decompressed when it is gzip. */
export async function readLeadingBytes(path: string, byteCount = 256): Promise<{ bytes: Uint8Array; gzip: boolean }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new GcshError('unreadable-file', `${path}: cannot open: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const head = Buffer.alloc(Math.max(byteCount, 4096));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const raw = head.subarray(0, bytesRead);
    if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) return { bytes: await gunzipPrefix(raw, byteCount), gzip: true };
    return { bytes: raw.subarray(0, byteCount), gzip: false };
  } finally {
    await handle.close();
  }
}

function gunzipPrefix(compressed: Uint8Array, byteCount: number): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const gunzip = createGunzip();
    const parts: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(parts).subarray(0, byteCount));
    };
    gunzip.on('data', (chunk: Buffer) => {
      parts.push(chunk);
      length += chunk.length;
      if (length >= byteCount) {
        finish();
        gunzip.destroy();
      }
    });
    // A prefix of a gzip stream ends "unexpectedly": whatever decompressed so far is what we wanted.
    gunzip.on('error', finish);
    gunzip.on('end', finish);
    gunzip.on('close', finish);
    gunzip.end(compressed);
  });
}

/** Whether the bytes look like the start of a V8 heap snapshot (a JSON object whose first key is "snapshot"). */
export function looksLikeHeapSnapshot(bytes: Uint8Array): boolean {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1').replace(/^\u00ef\u00bb\u00bf/, '').trimStart();
  return /^\{\s*("snapshot"|$)/.test(text) || text === '{';
}
