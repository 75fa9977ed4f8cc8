// Bench helper (not product code): small statistics and formatting helpers shared by the bench scripts.

/** Median of the finite numbers in `xs` (mean of the middle two for an even count); null when there are none. */
export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Milliseconds as "12.3 s" / "45.6 ms" / "0.42 ms"; "—" for null. */
export function fmtMs(ms) {
  if (ms == null) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** Bytes as MB (10^6, as file sizes are usually quoted) with one decimal; "—" for null. */
export function fmtMB(bytes) {
  return bytes == null ? '—' : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** A count with thousands separators. */
export function fmtCount(n) {
  return n == null ? '—' : Math.round(n).toLocaleString('en-US');
}
