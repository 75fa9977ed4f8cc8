// Layer 0 (base): cooperative cancellation and progress reporting shared by readers and analyses.
import { CancelledError } from './errors.js';

/** A cancellation flag checked by long loops at a fixed cadence (every 65,536 iterations in outer loops). */
export interface CancelToken {
  readonly cancelled: boolean;
}

export class CancelSource implements CancelToken {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
  }
}

export const neverCancelled: CancelToken = { cancelled: false };

/** Throw CancelledError when the token has been cancelled. */
export function throwIfCancelled(token: CancelToken | undefined): void {
  if (token?.cancelled) throw new CancelledError();
}

/** Receives progress of a long phase; `total` may be 0 when unknown. */
export type ProgressSink = (phase: string, done: number, total: number) => void;

export const noProgress: ProgressSink = () => {};
