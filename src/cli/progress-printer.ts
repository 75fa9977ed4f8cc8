// Layer 8 (cli): progress of long loads on stderr, only when stderr is a terminal (batch output stays clean).
import type { ProgressSink } from '../base/cancel.js';

export interface ProgressPrinter extends ProgressSink {
  /** Erase the progress line. */
  done(): void;
}

export function progressPrinter(stream: NodeJS.WriteStream): ProgressPrinter {
  let lastDraw = 0;
  let drawn = false;
  const sink = ((phase: string, done: number, total: number) => {
    if (!stream.isTTY) return;
    const now = Date.now();
    if (now - lastDraw < 100) return;
    lastDraw = now;
    const percent = total > 0 ? ` ${Math.min(100, Math.floor((done / total) * 100))}%` : '';
    const width = 24;
    const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
    const bar = total > 0 ? ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}]` : '';
    stream.write(`\r\u001b[2K${phase}${bar}${percent}`);
    drawn = true;
  }) as ProgressPrinter;
  sink.done = () => {
    if (drawn && stream.isTTY) stream.write('\r\u001b[2K');
    drawn = false;
  };
  return sink;
}
