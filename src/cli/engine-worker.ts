// Layer 8 (cli): the worker-thread side of WorkerEngine — hosts Engine and Session, runs one command at a time,
// reports throttled progress, and reads cancellation from a SharedArrayBuffer the UI thread flips (a synchronous
// analysis loop cannot receive messages, but it can read shared memory).
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { CancelToken } from '../base/cancel.js';
import { Engine } from '../commands/engine.js';
import { Session, type SessionOptions } from '../commands/session.js';
import type { CommandOutcome } from '../commands/types.js';
import { shellVocabularyOf } from './local-shell-engine.js';
import type { FromWorker, ToWorker, WireVocabulary } from './worker-engine.js';

export interface EngineWorkerData {
  readonly gcshEngineWorker: true;
  readonly cancelBuffer: SharedArrayBuffer;
  readonly session: Partial<SessionOptions>;
}

/** Progress messages per second at most: more would only queue up behind the UI's own throttle. */
const progressIntervalMs = 100;

function serve(data: EngineWorkerData): void {
  const port = parentPort!;
  const flag = new Int32Array(data.cancelBuffer);
  const cancel: CancelToken = {
    get cancelled() {
      return Atomics.load(flag, 0) === 1;
    },
  };
  const engine = new Engine(new Session(data.session));
  let sentClassNames: readonly string[] | null = null;

  // Type names can number 50k: send them only when the current snapshot changed, not after every command.
  const vocabulary = (): WireVocabulary => {
    const full = shellVocabularyOf(engine);
    if (full.classNames === sentClassNames) return { ...full, classNames: null, classRetainedSizes: null };
    sentClassNames = full.classNames;
    return full;
  };
  const post = (message: FromWorker) => port.postMessage(message);

  port.on('message', (message: ToWorker) => {
    if (message.type !== 'run') return;
    const { id, text } = message;
    let last = 0;
    const progress = (phase: string, done: number, total: number) => {
      const now = Date.now();
      if (now - last < progressIntervalMs && done < total) return;
      last = now;
      post({ type: 'progress', id, phase, done, total });
    };
    void engine.run(text, { cancel, progress }).then((outcome) => {
      try {
        post({ type: 'result', id, outcome, vocabulary: vocabulary() });
      } catch (error) {
        // A result that cannot cross the thread boundary is a bug in a command, not a reason to lose the worker.
        const failed: CommandOutcome = { ok: false, command: outcome.command, code: 'internal', error: `internal error: result could not be sent to the shell (${(error as Error).message})`, elapsedMs: outcome.elapsedMs };
        post({ type: 'result', id, outcome: failed, vocabulary: vocabulary() });
      }
    });
  });
  post({ type: 'ready', vocabulary: vocabulary() });
}

if (!isMainThread && (workerData as EngineWorkerData | undefined)?.gcshEngineWorker) serve(workerData as EngineWorkerData);
