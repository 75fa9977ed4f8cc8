// Layer 7 (ui): the interactive shell — transcript, progress, prompt, suggestions and status over a ShellEngine.
// State lives in the pure reducer (state.ts); this component wires keys to actions and requested effects (run the
// queue, cancel, abort, record history, exit) to the engine.
import { Box, Text, useApp, useStdin, useStdout } from 'ink';
import TextInput from 'ink-text-input';
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, type Dispatch } from 'react';
import type { CommandOutcome } from '../../commands/types.js';
import { renderOutcomeText } from '../../render/text.js';
import { Completer, noCompletion, type Completion, type ListDirectory } from '../completion.js';
import { useKeymap, type KeymapRefs } from '../hooks/use-keymap.js';
import type { ShellEngine, ShellVocabulary } from '../shell-engine.js';
import { emptyVocabulary } from '../shell-engine.js';
import { initialShellState, promptText, shellReducer, type ShellAction } from '../state.js';
import { ProgressLine } from './progress-line.js';
import { StatusLine } from './status-line.js';
import { SuggestionList } from './suggestion-list.js';
import { Transcript } from './transcript.js';

/** Where recalled lines come from and submitted ones go (cli/history-file.ts; absent in tests). */
export interface HistoryPort {
  readonly entries: readonly string[];
  record(line: string): void;
}

export interface AppProps {
  readonly engine: ShellEngine;
  readonly color: boolean;
  readonly history?: HistoryPort;
  /** Lines printed first (welcome, hints). */
  readonly welcome?: readonly string[];
  /** Commands run at start-up (loading the snapshots named on the command line); not recorded in history. */
  readonly startup?: readonly string[];
  /** gcsh's resident memory (the worker shares the process). */
  readonly rss?: () => number;
  /** Reads a directory for `load FILE` completion (cli passes one over node:fs; without it files do not complete). */
  readonly listDirectory?: ListDirectory;
}

/** Progress events are coalesced to this interval: maxFps throttles drawing, not state updates (pitfall 14). */
const progressIntervalMs = 100;
/** Spinner and elapsed-time refresh while a command runs (notes §4: at most 4 a second). */
const busyTickMs = 250;
const suggestionRows = 8;

export function App({ engine, color, history, welcome = [], startup = [], rss = () => process.memoryUsage.rss(), listDirectory }: AppProps) {
  const [state, dispatch] = useReducer(shellReducer, undefined, () => initialShellState(history?.entries ?? [], welcome, startup));
  const [vocabulary, setVocabulary] = useState<ShellVocabulary>(emptyVocabulary);
  const [now, setNow] = useState(() => Date.now());
  const { exit } = useApp();
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const width = stdout.columns || 100;
  const rows = stdout.rows || 24;

  const previousCompleter = useRef<Completer | null>(null);
  const completer = useMemo(() => {
    const next = new Completer(vocabulary, listDirectory);
    next.adoptTypesFrom(previousCompleter.current);
    previousCompleter.current = next;
    return next;
  }, [vocabulary, listDirectory]);

  // Prepare fuzzy matching over the type names shortly after they change, while the user reads the output.
  useEffect(() => {
    const timer = setTimeout(() => completer.warm(), 150);
    return () => clearTimeout(timer);
  }, [completer]);

  // Suggestions: the Tab cycle's fixed list, or live ones for the word being typed.
  const live: Completion | null = useMemo(() => {
    if (state.menu || state.dismissed || state.draft === '') return null;
    const completion = completer.complete(state.draft, suggestionRows, false);
    const only = completion.items[0];
    if (completion.items.length === 0 || (completion.items.length === 1 && only!.text === completion.word)) return null;
    return completion;
  }, [completer, state.draft, state.menu, state.dismissed]);

  const stateRef = useRef(state);
  stateRef.current = state;
  const completerRef = useRef(completer);
  completerRef.current = completer;
  const visibleRef = useRef<Completion | null>(live);
  visibleRef.current = live;
  const suppressEdit = useRef(false);
  const keymapRefs = useMemo(
    () => ({ state: stateRef, completer: completerRef, visible: visibleRef, suppressEdit, clearTerminal: () => stdout.write('\u001b[2J\u001b[3J\u001b[H') }),
    [stdout],
  );

  const onChange = useCallback((value: string) => {
    if (suppressEdit.current) return;
    dispatch({ type: 'edit', value, now: Date.now() });
  }, []);
  const onSubmit = useCallback(() => {}, []);

  useEffect(() => {
    let live = true;
    void engine.vocabulary().then((v) => live && setVocabulary(v));
    return () => {
      live = false;
    };
  }, [engine]);

  // Run the queue, one command at a time. The first `startup.length` commands started are the start-up loads.
  const startedCount = useRef(0);
  useEffect(() => {
    if (state.running || state.queue.length === 0 || state.exiting) return;
    const text = state.queue[0]!;
    const startedAt = Date.now();
    const keepGoing = startedCount.current++ < startup.length;
    dispatch({ type: 'started', now: startedAt });
    let lastProgress = 0;
    void engine
      .run(text, (phase, done, total) => {
        const at = Date.now();
        if (at - lastProgress < progressIntervalMs && done < total) return;
        lastProgress = at;
        dispatch({ type: 'progress', phase, done, total, now: at });
      })
      .then(async (outcome) => {
        const quit = outcome.ok && outcome.result.kind === 'quit';
        dispatch({ type: 'finished', text: outcomeText(text, outcome, { width, color }), ok: outcome.ok, quit, keepGoing });
        setVocabulary(await engine.vocabulary());
      });
  }, [state.running, state.queue, state.exiting, engine, width, color, startup.length]);

  useEffect(() => engine.onNotice?.((text) => dispatch({ type: 'print', text })), [engine]);
  useEffect(() => {
    if (state.cancelRequests > 0) engine.cancel();
  }, [state.cancelRequests, engine]);
  useEffect(() => {
    if (state.abortRequests > 0) engine.abort?.();
  }, [state.abortRequests, engine]);
  useEffect(() => {
    if (state.historyAdded > 0) history?.record(state.history[state.history.length - 1]!);
  }, [state.historyAdded, history]);
  useEffect(() => {
    if (state.exiting) exit();
  }, [state.exiting, exit]);

  // Clocks: the spinner while busy; one timer to expire a notice ("press Ctrl-C again to exit").
  useEffect(() => {
    if (!state.running) {
      setNow(Date.now());
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), busyTickMs);
    return () => clearInterval(timer);
  }, [state.running]);
  useEffect(() => {
    if (!state.notice) return;
    const timer = setTimeout(() => dispatch({ type: 'tick', now: Date.now() }), Math.max(0, state.notice.until - Date.now()) + 20);
    return () => clearTimeout(timer);
  }, [state.notice]);

  const shown = state.menu ? state.menu.completion : (live ?? noCompletion);
  // Tiny terminals: the transcript needs the room more than the list does (notes §4).
  const showSuggestions = rows >= 12 && !state.exiting;
  return (
    <Box flexDirection="column">
      <KeymapHost dispatch={dispatch} refs={keymapRefs} />
      <Transcript entries={state.transcript} epoch={state.screenEpoch} color={color} />
      {state.progress ? <ProgressLine progress={state.progress} now={now} width={width} color={color} /> : null}
      {state.notice ? (
        <Text wrap="truncate-end" color={color ? 'yellow' : undefined}>
          {state.notice.text}
        </Text>
      ) : null}
      {state.exiting ? null : (
        <Box>
          <Text dimColor={color}>{promptText}</Text>
          <TextInput key={state.editEpoch} value={state.draft} onChange={onChange} onSubmit={onSubmit} focus={Boolean(isRawModeSupported)} />
        </Box>
      )}
      {showSuggestions ? <SuggestionList completion={shown} selected={state.menu ? state.menu.selected : null} width={width} /> : null}
      {state.exiting ? null : <StatusLine status={vocabulary.status} running={state.running} now={now} rss={rss()} color={color} />}
    </Box>
  );
}

/**
 * Hosts the global key handler in a child placed before the text input: Ink calls input listeners in the order
 * their effects subscribed, and siblings subscribe in order, so the keymap sees every key before the input does.
 */
function KeymapHost({ dispatch, refs }: { readonly dispatch: Dispatch<ShellAction>; readonly refs: KeymapRefs }) {
  useKeymap(dispatch, refs);
  return null;
}

/** The transcript text for a finished command: the shared renderer's text, or a one-line cancellation note. */
export function outcomeText(commandText: string, outcome: CommandOutcome, options: { width: number; color: boolean }): string {
  if (!outcome.ok && outcome.code === 'cancelled') {
    const why = outcome.error === 'cancelled' ? '' : ` — ${outcome.error}`;
    return `cancelled \`${commandText}\` after ${(outcome.elapsedMs / 1000).toFixed(1)} s${why}`;
  }
  return renderOutcomeText(outcome, options);
}
