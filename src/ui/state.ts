// Layer 7 (ui): the shell's whole state and its pure reducer — transcript, prompt draft, history recall,
// completion cycling, the command queue, progress, and the Ctrl-C / Ctrl-D state machine (notes §4, §8, §9).
// Effects (running commands, cancelling, exiting, writing history) are requested through fields that the App's
// effects act on, so every key's behaviour is testable without Ink.
import { splitCommands } from '../commands/tokenizer.js';
import { applyCandidate, type Completion } from './completion.js';

export interface TranscriptEntry {
  readonly id: number;
  /** `echo` is a command as typed (shown after the prompt); `output` is rendered text. */
  readonly kind: 'echo' | 'output';
  /** Already rendered (renderOutcomeText); printed once by <Static>. */
  readonly text: string;
}

export interface RunningCommand {
  readonly text: string;
  readonly startedAt: number;
  /** When the first Ctrl-C asked it to stop. */
  readonly cancelRequestedAt: number | null;
}

export interface ProgressState {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  /** When this phase began, for the ETA. */
  readonly phaseStartedAt: number;
  readonly at: number;
}

/** Tab cycling: the line as typed before cycling, the candidates it produced, and the one now in the line. */
export interface MenuState {
  readonly base: string;
  readonly completion: Completion;
  readonly selected: number;
}

export interface Notice {
  readonly text: string;
  readonly until: number;
}

export interface ShellState {
  readonly transcript: readonly TranscriptEntry[];
  readonly nextEntryId: number;
  /** Key of <Static>: bumped by Ctrl-L so the transcript restarts empty (notes §4). */
  readonly screenEpoch: number;
  readonly draft: string;
  /** Key of the text input: bumped on programmatic edits so the cursor lands at the end (pitfall 7). */
  readonly editEpoch: number;
  readonly history: readonly string[];
  /** Lines added by this session, so the App can append them to the history file. */
  readonly historyAdded: number;
  /** Position while recalling: an index into history, or null while editing the draft. */
  readonly historyIndex: number | null;
  readonly savedDraft: string;
  readonly queue: readonly string[];
  readonly running: RunningCommand | null;
  readonly progress: ProgressState | null;
  readonly menu: MenuState | null;
  /** Esc hid the live suggestions; the next edit shows them again. */
  readonly dismissed: boolean;
  readonly notice: Notice | null;
  readonly exitArmedUntil: number | null;
  readonly exiting: boolean;
  /** Counters the App's effects watch: each increment means "call engine.cancel()" / "engine.abort()". */
  readonly cancelRequests: number;
  readonly abortRequests: number;
}

export type ShellAction =
  | { readonly type: 'edit'; readonly value: string; readonly now: number }
  | { readonly type: 'keys'; readonly text: string; readonly now: number }
  | { readonly type: 'cycle'; readonly direction: 1 | -1; readonly completion: Completion | null }
  | { readonly type: 'accept' }
  | { readonly type: 'escape' }
  | { readonly type: 'historyPrev' }
  | { readonly type: 'historyNext' }
  | { readonly type: 'submit'; readonly now: number }
  | { readonly type: 'started'; readonly now: number }
  | { readonly type: 'progress'; readonly phase: string; readonly done: number; readonly total: number; readonly now: number }
  | { readonly type: 'finished'; readonly text: string; readonly ok: boolean; readonly quit?: boolean; readonly keepGoing?: boolean }
  | { readonly type: 'print'; readonly text: string }
  | { readonly type: 'ctrlC'; readonly now: number }
  | { readonly type: 'ctrlD' }
  | { readonly type: 'clearScreen' }
  | { readonly type: 'tick'; readonly now: number };

/** Window for the second Ctrl-C (exit when idle, abort when a command ignores cancellation). */
export const doublePressMs = 2000;
export const maxHistoryInMemory = 1000;
export const promptText = 'gcsh> ';

export function initialShellState(history: readonly string[] = [], transcript: readonly string[] = [], queue: readonly string[] = []): ShellState {
  return {
    transcript: transcript.map((text, id) => ({ id, kind: 'output' as const, text })),
    nextEntryId: transcript.length,
    screenEpoch: 0,
    draft: '',
    editEpoch: 0,
    history: history.slice(-maxHistoryInMemory),
    historyAdded: 0,
    historyIndex: null,
    savedDraft: '',
    queue,
    running: null,
    progress: null,
    menu: null,
    dismissed: false,
    notice: null,
    exitArmedUntil: null,
    exiting: false,
    cancelRequests: 0,
    abortRequests: 0,
  };
}

function append(state: ShellState, text: string, kind: TranscriptEntry['kind'] = 'output'): ShellState {
  return { ...state, transcript: [...state.transcript, { id: state.nextEntryId, kind, text }], nextEntryId: state.nextEntryId + 1 };
}

/** Replace the draft programmatically (recall, completion, clearing): the input remounts with the cursor at the end. */
function setDraft(state: ShellState, draft: string): ShellState {
  return { ...state, draft, editEpoch: state.editEpoch + 1 };
}

/** A line goes to history unless empty, a repeat of the previous entry, or starting with a space (bash ignorespace). */
export function shouldRecord(line: string, history: readonly string[]): boolean {
  if (line.trim() === '' || line.startsWith(' ')) return false;
  return history[history.length - 1] !== line;
}

/** Queue a line's commands (after any already queued) and record it in history. */
function submitLine(state: ShellState, line: string): ShellState {
  const base: ShellState = { ...state, menu: null, dismissed: false, historyIndex: null, savedDraft: '', exitArmedUntil: null, notice: null };
  let commands: string[];
  try {
    commands = splitCommands(line);
  } catch {
    commands = [line.trim()];
  }
  if (commands.length === 0) return base;
  let history = base.history;
  let historyAdded = base.historyAdded;
  // A trailing space is what accepting a completion leaves; it is not part of the command.
  const recorded = line.trimEnd();
  if (shouldRecord(recorded, history)) {
    history = [...history, recorded].slice(-maxHistoryInMemory);
    historyAdded++;
  }
  return { ...base, history, historyAdded, queue: [...base.queue, ...commands] };
}

export function shellReducer(state: ShellState, action: ShellAction): ShellState {
  switch (action.type) {
    case 'edit': {
      if (action.value === state.draft) return state;
      // A paste with line breaks: complete lines run as if Enter had been pressed after each.
      if (/[\r\n]/.test(action.value)) {
        const lines = action.value.split(/\r\n|\r|\n/);
        const last = lines.pop() ?? '';
        let next: ShellState = state;
        for (const line of lines) next = submitLine(next, line);
        return setDraft({ ...next, menu: null, dismissed: false }, last);
      }
      return { ...state, draft: action.value, menu: null, dismissed: false, historyIndex: null, exitArmedUntil: null, notice: null };
    }
    case 'keys': {
      // Several keys in one read (type-ahead, automation, a paste with control characters): Ink hands them over as
      // one string, so replay them one by one — text, Enter, Ctrl-C, Ctrl-D, Backspace; other controls are dropped.
      let next = state;
      let text = '';
      const flush = () => {
        if (text !== '') next = { ...next, draft: next.draft + text, menu: null, dismissed: false, historyIndex: null, exitArmedUntil: null, notice: null };
        text = '';
      };
      for (const ch of action.text) {
        if (ch === '\r' || ch === '\n') {
          flush();
          next = { ...submitLine(next, next.draft), draft: '' };
        } else if (ch === '\u0003') {
          flush();
          next = shellReducer(next, { type: 'ctrlC', now: action.now });
        } else if (ch === '\u0004') {
          flush();
          next = shellReducer(next, { type: 'ctrlD' });
        } else if (ch === '\u007f' || ch === '\b') {
          flush();
          next = { ...next, draft: next.draft.slice(0, -1) };
        } else if (ch >= ' ') {
          text += ch;
        }
      }
      flush();
      return setDraft(next, next.draft);
    }
    case 'cycle': {
      if (state.running && !state.menu) return state;
      if (state.menu) {
        const count = state.menu.completion.items.length;
        const selected = (state.menu.selected + action.direction + count) % count;
        const draft = applyCandidate(state.menu.base, state.menu.completion, state.menu.completion.items[selected]!, false);
        return setDraft({ ...state, menu: { ...state.menu, selected } }, draft);
      }
      const completion = action.completion;
      if (!completion || completion.items.length === 0) return state;
      if (completion.items.length === 1) {
        const only = completion.items[0]!;
        // A directory stays open: its contents show as the next suggestions.
        return setDraft({ ...state, menu: null, dismissed: !only.continues }, applyCandidate(state.draft, completion, only, true));
      }
      const selected = action.direction === 1 ? 0 : completion.items.length - 1;
      const draft = applyCandidate(state.draft, completion, completion.items[selected]!, false);
      return setDraft({ ...state, menu: { base: state.draft, completion, selected }, dismissed: false }, draft);
    }
    case 'accept': {
      if (!state.menu) return state;
      const chosen = state.menu.completion.items[state.menu.selected]!;
      return setDraft({ ...state, menu: null, dismissed: !chosen.continues }, chosen.continues ? state.draft : `${state.draft} `);
    }
    case 'escape':
      if (state.menu) return setDraft({ ...state, menu: null, dismissed: true }, state.menu.base);
      return state.dismissed ? state : { ...state, dismissed: true };
    case 'historyPrev': {
      if (state.history.length === 0) return state;
      const index = state.historyIndex === null ? state.history.length - 1 : Math.max(0, state.historyIndex - 1);
      const savedDraft = state.historyIndex === null ? state.draft : state.savedDraft;
      return setDraft({ ...state, historyIndex: index, savedDraft, menu: null, dismissed: true }, state.history[index]!);
    }
    case 'historyNext': {
      if (state.historyIndex === null) return state;
      if (state.historyIndex >= state.history.length - 1) return setDraft({ ...state, historyIndex: null, menu: null, dismissed: true }, state.savedDraft);
      const index = state.historyIndex + 1;
      return setDraft({ ...state, historyIndex: index, menu: null, dismissed: true }, state.history[index]!);
    }
    case 'submit': {
      // Type-ahead: a line entered while a command runs (the start-up loads, say) waits its turn.
      const busy = state.running !== null || state.queue.length > 0;
      const next = setDraft(submitLine(state, state.draft), '');
      if (!busy || next.queue.length === state.queue.length) return next;
      return { ...next, notice: { text: 'queued: runs after the current command (Ctrl-C cancels both)', until: action.now + doublePressMs } };
    }
    case 'started': {
      const [text, ...rest] = state.queue;
      if (text === undefined || state.running) return state;
      return { ...append(state, text, 'echo'), queue: rest, running: { text, startedAt: action.now, cancelRequestedAt: null }, progress: null };
    }
    case 'progress': {
      if (!state.running) return state;
      const phaseStartedAt = state.progress && state.progress.phase === action.phase ? state.progress.phaseStartedAt : action.now;
      return { ...state, progress: { phase: action.phase, done: action.done, total: action.total, phaseStartedAt, at: action.now } };
    }
    case 'finished': {
      const stopped: ShellState = { ...state, running: null, progress: null };
      const next = action.text === '' ? stopped : append(stopped, action.text);
      // After a failure the rest of the line would run on a state the user did not expect: drop it (start-up loads
      // keep going: one unreadable file should not hide the others).
      return { ...next, queue: action.ok || action.keepGoing ? next.queue : [], exiting: next.exiting || Boolean(action.quit) };
    }
    case 'print':
      return append(state, action.text);
    case 'ctrlC': {
      const now = action.now;
      if (state.running) {
        const cancelRequestedAt = state.running.cancelRequestedAt;
        if (cancelRequestedAt !== null && now - cancelRequestedAt <= doublePressMs) {
          return { ...state, queue: [], abortRequests: state.abortRequests + 1, notice: { text: 'stopping the engine…', until: now + doublePressMs } };
        }
        return {
          ...state,
          queue: [],
          running: { ...state.running, cancelRequestedAt: now },
          cancelRequests: state.cancelRequests + 1,
          notice: { text: 'cancelling… (Ctrl-C again stops the engine)', until: now + doublePressMs },
        };
      }
      if (state.queue.length > 0) {
        // Between two commands of one line: nothing runs, but the rest of the line must not start.
        return { ...state, queue: [], notice: { text: 'cancelled the rest of the line', until: now + doublePressMs } };
      }
      if (state.draft !== '' || state.menu) {
        return setDraft({ ...state, menu: null, dismissed: false, historyIndex: null, exitArmedUntil: null, notice: null }, '');
      }
      if (state.exitArmedUntil !== null && now <= state.exitArmedUntil) return { ...state, exiting: true, notice: null };
      return { ...state, exitArmedUntil: now + doublePressMs, notice: { text: 'press Ctrl-C again to exit', until: now + doublePressMs } };
    }
    case 'ctrlD':
      if (state.running || state.draft !== '') return state;
      return { ...state, exiting: true };
    case 'clearScreen':
      return { ...state, transcript: [], screenEpoch: state.screenEpoch + 1 };
    case 'tick': {
      if (!state.notice || action.now < state.notice.until) return state;
      return { ...state, notice: null, exitArmedUntil: state.exitArmedUntil !== null && action.now > state.exitArmedUntil ? null : state.exitArmedUntil };
    }
  }
}
