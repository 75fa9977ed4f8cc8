// Test support: a stand-in for the engine worker that answers `help` and crashes on anything else (or, with
// workerData.crashWhenIdle, soon after start), to test how WorkerEngine survives a dead worker.
import { parentPort, workerData } from 'node:worker_threads';
import { emptyVocabulary } from '../../src/ui/shell-engine.js';

const port = parentPort!;
port.postMessage({ type: 'ready', vocabulary: emptyVocabulary });
if ((workerData as { crashWhenIdle?: boolean }).crashWhenIdle) setTimeout(() => process.exit(9), 50);
port.on('message', (message: { type: string; id: number; text: string }) => {
  if (message.text === 'help') {
    port.postMessage({ type: 'result', id: message.id, outcome: { ok: true, command: 'help', result: { kind: 'message', text: 'ok' }, elapsedMs: 0 }, vocabulary: emptyVocabulary });
    return;
  }
  // An exception nobody catches ends the worker thread, as a bug in an analysis would.
  setTimeout(() => {
    throw new Error(`boom while running ${message.text}`);
  }, 0);
});
