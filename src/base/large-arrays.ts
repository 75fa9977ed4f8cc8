// Layer 0 (base): typed arrays for per-node and per-edge scratch whose memory goes back to the OS when they die.
// glibc serves allocations above its mmap threshold with their own mappings, unmapped on free; but each such free
// raises the threshold to the freed size (up to 32 MiB), after which arrays of a few MB come from the brk heap and
// stay resident after they are freed. Load phases allocate and drop many such arrays, so the heap would grow to
// their sum. A buffer reserved at just over 32 MiB is always its own mapping; only the pages a view touches become
// resident, so the reservation costs address space, not memory.

const alwaysMappedBytes = (32 << 20) + 4096;
/** Below this, ordinary allocation is fine (and the heap reuses what it frees). */
const smallBytes = 1 << 20;

function reserve(byteLength: number): ArrayBuffer {
  return new ArrayBuffer(byteLength >= smallBytes && byteLength < alwaysMappedBytes ? alwaysMappedBytes : byteLength);
}

/** A zeroed Uint32Array of `length`, whose buffer may be larger (use byteOffset/byteLength, never buffer.byteLength). */
export function newUint32Array(length: number): Uint32Array {
  return new Uint32Array(reserve(length * 4), 0, length);
}

export function newInt32Array(length: number): Int32Array {
  return new Int32Array(reserve(length * 4), 0, length);
}

export function newFloat64Array(length: number): Float64Array {
  return new Float64Array(reserve(length * 8), 0, length);
}

export function newUint8Array(length: number): Uint8Array {
  return new Uint8Array(reserve(length), 0, length);
}

export function newUint16Array(length: number): Uint16Array {
  return new Uint16Array(reserve(length * 2), 0, length);
}
