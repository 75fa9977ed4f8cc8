// Layer 7 (ui): the one global key handler (notes §4): history, completion, Esc, Ctrl-C/D/L/U/W. Always active,
// which also keeps raw mode on (pitfall 9). Registered before the text input, so it sees each key first and can tell
// the input to ignore control keys it would otherwise insert as letters (ink-text-input types "d" for Ctrl-D).
import { useInput } from 'ink';
import { useCallback, type Dispatch, type MutableRefObject } from 'react';
import type { Completer, Completion } from '../completion.js';
import type { ShellAction, ShellState } from '../state.js';

export interface KeymapRefs {
  readonly state: MutableRefObject<ShellState>;
  readonly completer: MutableRefObject<Completer>;
  /** The suggestions on screen now (live, not cycling), for Down to step into. */
  readonly visible: MutableRefObject<Completion | null>;
  /** Set for keys the text input must not insert; read by its onChange. */
  readonly suppressEdit: MutableRefObject<boolean>;
  /** Clears the terminal before the next frame is drawn (Ctrl-L). */
  readonly clearTerminal: () => void;
}

export function useKeymap(dispatch: Dispatch<ShellAction>, refs: KeymapRefs): void {
  const handler = useCallback(
    (input: string, key: import('ink').Key) => {
      const state = refs.state.current;
      const now = Date.now();
      if (input.length > 1 && /[\u0000-\u001f\u007f]/.test(input)) {
        refs.suppressEdit.current = true;
        dispatch({ type: 'keys', text: input, now });
        return;
      }
      refs.suppressEdit.current = key.ctrl || (key.meta && !key.return);
      if (key.ctrl) {
        if (input === 'c') dispatch({ type: 'ctrlC', now });
        else if (input === 'd') dispatch({ type: 'ctrlD' });
        else if (input === 'l') {
          // Cleared here, before the re-render draws the live area again at the top of the empty screen.
          refs.clearTerminal();
          dispatch({ type: 'clearScreen' });
        }
        else if (input === 'u') dispatch({ type: 'edit', value: '', now });
        else if (input === 'w') dispatch({ type: 'edit', value: state.draft.replace(/\S+\s*$/, ''), now });
        return;
      }
      if (key.tab) {
        const completion = state.menu ? null : refs.completer.current.complete(state.draft, 8, true);
        dispatch({ type: 'cycle', direction: key.shift ? -1 : 1, completion });
        return;
      }
      if (key.escape) {
        dispatch({ type: 'escape' });
        return;
      }
      if (key.upArrow) {
        if (state.menu) dispatch({ type: 'cycle', direction: -1, completion: null });
        else if (!state.running) dispatch({ type: 'historyPrev' });
        return;
      }
      if (key.downArrow) {
        if (state.menu) dispatch({ type: 'cycle', direction: 1, completion: null });
        else if (refs.visible.current && state.historyIndex === null) dispatch({ type: 'cycle', direction: 1, completion: refs.visible.current });
        else if (!state.running) dispatch({ type: 'historyNext' });
        return;
      }
      if (key.return) {
        if (state.menu) dispatch({ type: 'accept' });
        else dispatch({ type: 'submit', now });
      }
    },
    // Stable identity: Ink re-subscribes when the handler changes, and a key arriving in between would be lost.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  useInput(handler, { isActive: true });
}
