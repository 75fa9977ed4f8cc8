// Layer 2 (formats): stream a file's bytes (plain or gzip, sniffed from the magic bytes, never the extension) as
// chunks for the byte-level readers, with explicit numeric positions so files beyond 4 GiB work.
import { newUint8Array } from '../base/large-arrays.js';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { GcshError } from '../base/errors.js';

/** Plain reads use 8 MiB: large enough to amortise syscalls, small next to the typed arrays being filled. */
export const defaultChunkBytes = 8 << 20;

/** A file opened for chunked reading; `compressedBytesRead` tracks progress through the file itself. */
export interface FileChunks {
  readonly gzip: boolean;
  readonly byteSize: number;
  readonly mtimeMs: number;
  /** Bytes of the file consumed so far (compressed bytes for gzip). */
  readonly fileBytesRead: number;
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Release the file (idempotent); call in a finally block. */
  close(): Promise<void>;
}

/** Open `path` for chunked reading. Throws GcshError('unreadable-file') when it cannot be opened or read. */
export async function openFileChunks(path: string, chunkBytes = defaultChunkBytes): Promise<FileChunks> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new GcshError('unreadable-file', `${path}: not a regular file`);
    const magic = new Uint8Array(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    const gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    const state = { fileBytesRead: 0, closed: false };
    const close = async (): Promise<void> => {
      if (state.closed) return;
      state.closed = true;
      await handle.close();
    };
    const chunks = gzip ? gunzipChunks(handle, state) : plainChunks(path, handle, chunkBytes, state);
    return {
      gzip,
      byteSize: stat.size,
      mtimeMs: stat.mtimeMs,
      get fileBytesRead() {
        return state.fileBytesRead;
      },
      chunks,
      close,
    };
  } catch (error) {
    await handle.close();
    if (error instanceof GcshError) throw error;
    throw unreadable(path, error);
  }
}

/**
 * Double-buffered positional reads: the next read is in flight while the consumer parses the current chunk.
 * A yielded chunk is valid only until the consumer asks for the next one.
 */
async function* plainChunks(path: string, handle: FileHandle, chunkBytes: number, state: { fileBytesRead: number }): AsyncGenerator<Uint8Array> {
  const buffers = [newUint8Array(chunkBytes), newUint8Array(chunkBytes)];
  let which = 0;
  let position = 0;
  let pending = handle.read(buffers[0]!, 0, chunkBytes, position);
  for (;;) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await pending);
    } catch (error) {
      throw unreadable(path, error);
    }
    if (bytesRead === 0) return;
    const current = buffers[which]!.subarray(0, bytesRead);
    position += bytesRead;
    state.fileBytesRead = position;
    which ^= 1;
    pending = handle.read(buffers[which]!, 0, chunkBytes, position);
    // Keep a rejected read from surfacing as an unhandled rejection if the consumer stops early.
    pending.catch(() => {});
    yield current;
  }
}

/** Decompressed chunks; zlib errors propagate as thrown errors for the reader to turn into BadInputError. */
async function* gunzipChunks(handle: FileHandle, state: { fileBytesRead: number }): AsyncGenerator<Uint8Array> {
  const raw = createReadStream('', { fd: handle, highWaterMark: 1 << 20, autoClose: false, start: 0 });
  raw.on('data', (chunk) => {
    state.fileBytesRead += chunk.length;
  });
  const gunzip = createGunzip({ chunkSize: 1 << 20 });
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } finally {
    raw.unpipe(gunzip);
    raw.destroy();
    gunzip.destroy();
  }
}

function unreadable(path: string, error: unknown): GcshError {
  const code = (error as NodeJS.ErrnoException).code;
  return new GcshError('unreadable-file', `${path}: cannot read: ${code ?? (error as Error).message}`);
}
