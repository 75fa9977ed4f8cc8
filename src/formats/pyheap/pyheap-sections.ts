// Layer 2 (formats): split a .pyheap byte stream (plain or gzip) into sections, streaming, with byte offsets.
// Each section is tag (4 ASCII bytes) + u32 little-endian payload length + payload (docs/pyheap-format.md).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { BadInputError, GcshError } from '../../base/errors.js';
import { throwIfCancelled, type CancelToken, type ProgressSink } from '../../base/cancel.js';
import { isGzip, pyheapFormatVersion, pyheapMagic, pyheapPreambleBytes, sectionHeaderBytes, startsWithMagic } from './pyheap-format.js';

/** Sections larger than this are refused: the agent writes chunks of at most ~70 MB, so more means corruption. */
export const maxSectionBytes = 1 << 28;

export interface PyheapSection {
  /** Four ASCII characters, e.g. "NODE". */
  readonly tag: string;
  /** Byte offset of the section's payload in the (decompressed) stream, for error messages. */
  readonly offset: number;
  /** The payload; only valid until the next section is requested. */
  readonly payload: Uint8Array;
}

export interface SectionStreamInfo {
  readonly gzip: boolean;
  /** Size of the file on disk, in bytes. */
  readonly fileBytes: number;
  readonly formatVersion: number;
}

/** Open `path`, check magic and version, and return the stream facts plus an iterator over its sections. */
export async function openSections(
  path: string,
  options: { progress?: ProgressSink; cancel?: CancelToken } = {},
): Promise<{ info: SectionStreamInfo; sections: AsyncGenerator<PyheapSection> }> {
  const head = await readFirstBytes(path, 64);
  const gzip = isGzip(head.bytes);
  if (!gzip) checkMagic(path, head.bytes);
  const info = { gzip, fileBytes: head.fileBytes, formatVersion: 0 };
  return { info, sections: sectionsOf(path, info, options) };
}

async function readFirstBytes(path: string, count: number): Promise<{ bytes: Uint8Array; fileBytes: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new GcshError('unreadable-file', `cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = await handle.stat();
    const bytes = new Uint8Array(Math.min(count, stat.size));
    await handle.read(bytes, 0, bytes.length, 0);
    return { bytes, fileBytes: stat.size };
  } finally {
    await handle.close();
  }
}

function checkMagic(path: string, bytes: Uint8Array): void {
  if (startsWithMagic(bytes)) return;
  if (bytes.length < pyheapMagic.length && bytes.every((byte, i) => byte === pyheapMagic[i])) {
    throw new BadInputError(path, bytes.length, 'the 8-byte .pyheap magic (the file is truncated)', 'end of file');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 32)).trimStart();
  if (text.startsWith('{')) {
    throw new GcshError('unsupported-format', `${path} is not a .pyheap snapshot (it looks like JSON, e.g. a V8 .heapsnapshot)`);
  }
  throw new GcshError('unsupported-format', `${path} is not a .pyheap snapshot (no \\x89PYHEAP magic at byte 0)`);
}

/** A growable byte queue: chunks are appended at the end and consumed from the start. */
class ByteQueue {
  private buffer = new Uint8Array(1 << 20);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buffer.length) {
      const live = this.end - this.start;
      let capacity = this.buffer.length;
      while (capacity < live + chunk.length) capacity *= 2;
      if (capacity === this.buffer.length) this.buffer.copyWithin(0, this.start, this.end);
      else {
        const grown = new Uint8Array(capacity);
        grown.set(this.buffer.subarray(this.start, this.end), 0);
        this.buffer = grown;
      }
      this.start = 0;
      this.end = live;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }

  peek(count: number): Uint8Array {
    return this.buffer.subarray(this.start, this.start + count);
  }

  take(count: number): Uint8Array {
    const view = this.buffer.subarray(this.start, this.start + count);
    this.start += count;
    return view;
  }
}

async function* sectionsOf(
  path: string,
  info: { gzip: boolean; fileBytes: number; formatVersion: number },
  options: { progress?: ProgressSink; cancel?: CancelToken },
): AsyncGenerator<PyheapSection> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  let compressedRead = 0;
  file.on('data', (chunk) => {
    compressedRead += chunk.length;
  });
  const stream = info.gzip ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  if (info.gzip) file.on('error', (error) => stream.destroy(error));
  const queue = new ByteQueue();
  let offset = 0; // stream offset of the queue's first byte
  let preambleDone = false;
  let header: { tag: string; length: number } | null = null;
  const decoder = new TextDecoder('latin1');
  try {
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        throwIfCancelled(options.cancel);
        queue.push(chunk);
        options.progress?.('read', compressedRead, info.fileBytes);
        for (;;) {
          if (!preambleDone) {
            if (queue.length < pyheapPreambleBytes) break;
            const preamble = queue.take(pyheapPreambleBytes);
            if (!startsWithMagic(preamble)) {
              throw new GcshError('unsupported-format', `${path} is not a .pyheap snapshot (gzip data without the \\x89PYHEAP magic)`);
            }
            info.formatVersion = new DataView(preamble.buffer, preamble.byteOffset + 8, 4).getUint32(0, true);
            if (info.formatVersion === 0 || info.formatVersion > pyheapFormatVersion) {
              throw new GcshError(
                'unsupported-format',
                `${path} is .pyheap format version ${info.formatVersion}; this gcsh reads versions 1..${pyheapFormatVersion}: upgrade gcsh`,
              );
            }
            offset += pyheapPreambleBytes;
            preambleDone = true;
          }
          if (header === null) {
            if (queue.length < sectionHeaderBytes) break;
            const bytes = queue.take(sectionHeaderBytes);
            const tag = decoder.decode(bytes.subarray(0, 4));
            const length = new DataView(bytes.buffer, bytes.byteOffset + 4, 4).getUint32(0, true);
            if (!/^[A-Z ]{4}$/.test(tag)) throw new BadInputError(path, offset, 'a section tag (4 capital letters)', JSON.stringify(tag));
            if (length > maxSectionBytes) throw new BadInputError(path, offset + 4, `a section length below ${maxSectionBytes}`, String(length));
            offset += sectionHeaderBytes;
            header = { tag, length };
          }
          if (queue.length < header.length) break;
          const payload = queue.take(header.length);
          const section = { tag: header.tag, offset, payload };
          offset += header.length;
          header = null;
          yield section;
        }
      }
    } catch (error) {
      if (error instanceof GcshError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('Z_') || code === 'ERR_ZLIB') {
        throw new BadInputError(path, offset + queue.length, 'valid gzip data', (error as Error).message);
      }
      throw new GcshError('unreadable-file', `cannot read ${path}: ${(error as Error).message}`);
    }
    if (!preambleDone) throw new BadInputError(path, offset + queue.length, 'the 12-byte .pyheap preamble', 'end of file');
    if (header !== null) {
      throw new BadInputError(path, offset + queue.length, `${header.length} bytes of the ${header.tag.trim()} section`, `end of file after ${queue.length}`);
    }
    if (queue.length > 0) throw new BadInputError(path, offset + queue.length, 'a complete section header', 'end of file');
  } finally {
    file.destroy();
  }
}
