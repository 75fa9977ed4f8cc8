// Layer 0 (base): human-readable numbers for text output. JSON output always carries raw bytes (SPEC §4).

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Format a byte count the way DevTools does: decimal units, one decimal place above bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Group thousands: 1234567 -> "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** Milliseconds with sensible precision. */
export function formatDuration(elapsedMs: number): string {
  if (elapsedMs < 1) return `${elapsedMs.toFixed(2)} ms`;
  if (elapsedMs < 1000) return `${Math.round(elapsedMs)} ms`;
  return `${(elapsedMs / 1000).toFixed(2)} s`;
}
