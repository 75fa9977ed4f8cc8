// Bench helper (not product code): reads a .heapsnapshot's header, and finds one real object id in it by
// class name with a byte-level pass over the file (no JSON.parse of the body), so the bench can name an
// object for `show` / `retainers` / `dominators` without depending on any product output.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;

/** The `snapshot` header object ({meta, node_count, edge_count, …}) parsed from the file's first bytes. */
export function readSnapshotHeader(file) {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.toString('utf8', 0, n);
    const at = text.indexOf('"nodes"');
    if (at < 0) throw new Error(`${file}: no "nodes" section in the first MB`);
    const head = text.slice(0, at).trimEnd().replace(/,$/, '') + '}';
    return JSON.parse(head).snapshot;
  } finally {
    closeSync(fd);
  }
}

/** Byte offset just after the first occurrence of `pattern` at or after `from`, or -1. */
function findPattern(fd, pattern, from) {
  const pat = Buffer.from(pattern, 'latin1');
  const buf = Buffer.alloc(CHUNK + pat.length);
  let pos = from;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) return -1;
    const i = buf.subarray(0, n).indexOf(pat);
    if (i >= 0) return pos + i + pat.length;
    if (n < buf.length) return -1;
    pos += n - pat.length; // overlap so a pattern split across chunks is still seen
  }
}

/** Index of the JSON string equal to `wanted` (plain ASCII, no escapes) in the array starting at `from`. */
function findStringIndex(fd, wanted, from) {
  const target = Buffer.from(JSON.stringify(wanted), 'latin1');
  const buf = Buffer.alloc(CHUNK);
  let pos = from;
  let index = -1;
  let inString = false;
  let escaped = false;
  let matchLen = 0; // bytes of `target` matched so far in the current string, -1 = mismatch
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n <= 0) return -1;
    for (let i = 0; i < n; i++) {
      const b = buf[i];
      if (!inString) {
        if (b === 0x22) {
          inString = true;
          index++;
          matchLen = 1;
        } else if (b === 0x5d) return -1; // `]`: end of the strings array
        continue;
      }
      if (matchLen >= 0) matchLen = matchLen < target.length && target[matchLen] === b ? matchLen + 1 : -1;
      if (escaped) escaped = false;
      else if (b === 0x5c) escaped = true;
      else if (b === 0x22) {
        inString = false;
        if (matchLen === target.length) return index;
      }
    }
    pos += n;
  }
}

/**
 * Id of the object of class `className` with the most outgoing edges (a deterministic, well-connected pick),
 * plus how many such objects exist. Returns null when the class does not occur.
 */
export function findObjectIdByClass(file, className) {
  const header = readSnapshotHeader(file);
  const fields = header.meta.node_fields;
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const idAt = fields.indexOf('id');
  const edgeCountAt = fields.indexOf('edge_count');
  const objectType = header.meta.node_types[0].indexOf('object');
  const fd = openSync(file, 'r');
  try {
    const nodesAt = findPattern(fd, '"nodes":[', 0);
    const stringsAt = findPattern(fd, '"strings":[', nodesAt);
    if (nodesAt < 0 || stringsAt < 0) return null;
    const nameIndex = findStringIndex(fd, className, stringsAt);
    if (nameIndex < 0) return null;
    const row = new Float64Array(stride);
    let field = 0;
    let value = 0;
    let inNumber = false;
    let best = { id: -1, edges: -1, count: 0 };
    const buf = Buffer.alloc(CHUNK);
    let pos = nodesAt;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) {
        const b = buf[i];
        if (b >= 0x30 && b <= 0x39) {
          value = value * 10 + (b - 0x30);
          inNumber = true;
          continue;
        }
        if (inNumber) {
          row[field] = value;
          value = 0;
          inNumber = false;
          if (++field === stride) {
            field = 0;
            if (row[typeAt] === objectType && row[nameAt] === nameIndex) {
              best.count++;
              if (row[edgeCountAt] > best.edges) best = { id: row[idAt], edges: row[edgeCountAt], count: best.count };
            }
          }
        }
        if (b === 0x5d) return best.id < 0 ? null : best; // `]` ends the nodes array
      }
      pos += n;
    }
    return best.id < 0 ? null : best;
  } finally {
    closeSync(fd);
  }
}
