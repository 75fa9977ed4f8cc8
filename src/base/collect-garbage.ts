// Layer 0 (base): run a full garbage collection now. A load allocates and drops typed arrays of tens of MB between
// phases; V8 frees their memory only when it next collects, which it decides by JS heap pressure (tiny here), so
// without this the dead scratch of one phase is still resident when the next allocates and the peak is their sum.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collector: (() => void) | null | undefined;

/** A full GC in this isolate (main thread or worker); a no-op if the runtime refuses to expose one. A few ms. */
export function collectGarbageNow(): void {
  if (collector === undefined) {
    try {
      // `gc` is installed on contexts created after the flag is set, so a fresh vm context hands it over.
      setFlagsFromString('--expose-gc');
      collector = runInNewContext('gc') as () => void;
    } catch {
      collector = null;
    }
  }
  collector?.();
}
