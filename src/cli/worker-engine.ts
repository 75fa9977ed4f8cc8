// Layer 8 (cli): the Ink shell's engine in a worker thread (notes §1, §8), so loading, indexing and dominators
// never freeze keystrokes or the spinner. Small messages (run / progress / result / ready); cancellation through a
// SharedArrayBuffer flag the worker's CancelToken reads. A dead worker is replaced and the failure reported as
// one command outcome, so the shell stays usable. Imports no engine code: the UI thread stays light.
import { Worker } from 'node:worker_threads';
import type { ProgressSink } from '../base/cancel.js';
import type { SessionOptions } from '../commands/session.js';
import type { CommandOutcome } from '../commands/types.js';
import type { ShellEngine, ShellVocabulary } from '../ui/shell-engine.js';
import { emptyVocabulary } from '../ui/shell-engine.js';
import type { EngineWorkerData } from './engine-worker.js';

/** A vocabulary on the wire: type names are null when unchanged since the previous message. */
export type WireVocabulary = Omit<ShellVocabulary, 'classNames' | 'classRetainedSizes'> & {
  readonly classNames: readonly string[] | null;
  readonly classRetainedSizes: readonly number[] | null;
};

export type ToWorker = { readonly type: 'run'; readonly id: number; readonly text: string };

export type FromWorker =
  | { readonly type: 'ready'; readonly vocabulary: WireVocabulary }
  | { readonly type: 'progress'; readonly id: number; readonly phase: string; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly outcome: CommandOutcome; readonly vocabulary: WireVocabulary };

interface Pending {
  readonly id: number;
  readonly text: string;
  readonly startedAt: number;
  readonly progress: ProgressSink;
  readonly resolve: (outcome: CommandOutcome) => void;
}

export interface WorkerEngineOptions {
  readonly session?: Partial<SessionOptions>;
  /** Another worker entry module and extra worker data (tests use one that crashes). */
  readonly entry?: URL;
  readonly entryData?: Readonly<Record<string, unknown>>;
  /** Called when the worker died and was replaced (the session's snapshots are gone). */
  readonly onRestart?: (reason: string) => void;
}

export class WorkerEngine implements ShellEngine {
  private readonly options: WorkerEngineOptions;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private worker!: Worker;
  private pending: Pending | null = null;
  private nextId = 1;
  private current: ShellVocabulary = emptyVocabulary;
  private ready!: Promise<void>;
  private closed = false;
  private readonly noticeListeners = new Set<(text: string) => void>();
  /** Set while we terminate the worker on purpose, so its exit is reported as an abort, not a crash. */
  private aborting = false;

  constructor(options: WorkerEngineOptions = {}) {
    this.options = options;
    this.spawn();
  }

  run(commandText: string, progress: ProgressSink): Promise<CommandOutcome> {
    if (this.pending) return Promise.resolve(failure(commandText, 'internal', 'another command is still running', 0));
    const worker = this.worker;
    // Reset before posting: a Ctrl-C that arrives after this belongs to this command.
    Atomics.store(this.flag, 0, 0);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending = { id, text: commandText, startedAt: Date.now(), progress, resolve };
      // Keep the process alive while a command is out; an idle worker must not (see spawn).
      worker.ref();
      worker.postMessage({ type: 'run', id, text: commandText } satisfies ToWorker);
    });
  }

  cancel(): void {
    Atomics.store(this.flag, 0, 1);
  }

  /** Stop a command that does not react to cancellation: terminate the worker and start a fresh one. */
  abort(): void {
    if (!this.pending) return;
    this.aborting = true;
    void this.worker.terminate();
  }

  async vocabulary(): Promise<ShellVocabulary> {
    await this.ready;
    return this.current;
  }

  onNotice(listener: (text: string) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  private spawn(): void {
    const data: EngineWorkerData = { ...this.options.entryData, gcshEngineWorker: true, cancelBuffer: this.flag.buffer as SharedArrayBuffer, session: this.options.session ?? {} };
    // Under tsx (tests) this module is .ts and so is its worker; the built package runs the .js next to it.
    const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const url = this.options.entry ?? new URL(`./engine-worker${extension}`, import.meta.url);
    // A worker does not inherit the parent's module hooks, so under tsx the worker registers tsx itself first.
    // The worker's stdout and stderr are captured: a stray write would land in the middle of Ink's frame. Core code
    // never logs (notes §1); if something does anyway, it is shown as a notice line instead.
    const options = { workerData: data, stdout: true, stderr: true };
    const worker =
      extension === '.ts'
        ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`, { ...options, eval: true })
        : new Worker(url, options);
    this.worker = worker;
    for (const stream of [worker.stdout, worker.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => {
        const trimmed = text.trimEnd();
        if (trimmed !== '') for (const listener of this.noticeListeners) listener(trimmed);
      });
    }
    let markReady!: () => void;
    this.ready = new Promise((resolve) => (markReady = resolve));
    let errorText: string | null = null;
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') {
        this.adopt(message.vocabulary);
        markReady();
        if (!this.pending) worker.unref();
      } else if (message.type === 'progress') {
        if (this.pending?.id === message.id) this.pending.progress(message.phase, message.done, message.total);
      } else if (message.type === 'result') {
        this.adopt(message.vocabulary);
        const pending = this.pending;
        if (pending?.id !== message.id) return;
        this.pending = null;
        worker.unref();
        pending.resolve(message.outcome);
      }
    });
    worker.on('error', (error) => {
      errorText = error.message;
    });
    worker.on('exit', (code) => {
      markReady();
      if (this.closed || this.worker !== worker) return;
      const aborted = this.aborting;
      this.aborting = false;
      const reason = aborted ? 'stopped on request' : `stopped unexpectedly (${errorText ?? `exit code ${code}`})`;
      const message = `the engine ${reason}; restarted it — loaded snapshots are gone, \`load\` them again`;
      const pending = this.pending;
      this.pending = null;
      this.current = emptyVocabulary;
      this.spawn();
      this.options.onRestart?.(message);
      // With a command out, its outcome says it; otherwise the shell prints it on its own line.
      if (pending) pending.resolve(failure(pending.text, aborted ? 'cancelled' : 'internal', message, Date.now() - pending.startedAt));
      else for (const listener of this.noticeListeners) listener(message);
    });
    // Referenced until ready (someone may be awaiting vocabulary()), then only while a command runs: an idle
    // worker must not keep the process alive once the shell has exited.
  }

  private adopt(wire: WireVocabulary): void {
    this.current = {
      ...wire,
      classNames: wire.classNames ?? this.current.classNames,
      classRetainedSizes: wire.classRetainedSizes ?? this.current.classRetainedSizes,
    };
  }
}

function failure(text: string, code: string, error: string, elapsedMs: number): CommandOutcome {
  return { ok: false, command: text.trim().split(/\s+/)[0] ?? '', code, error, elapsedMs };
}
