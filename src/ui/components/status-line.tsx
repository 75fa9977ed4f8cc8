// Layer 7 (ui): the bottom row — current snapshot, language, objects, references, heap size and gcsh's own RSS;
// while a command runs, its text, elapsed time and how to cancel it. One row, truncated, never wrapped.
import { Text } from 'ink';
import { formatBytes, formatCount } from '../../base/format.js';
import type { ShellVocabulary } from '../shell-engine.js';
import type { RunningCommand } from '../state.js';

export interface StatusLineProps {
  readonly status: ShellVocabulary['status'];
  readonly running: RunningCommand | null;
  readonly now: number;
  readonly rss: number;
  readonly color: boolean;
}

export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function StatusLine({ status, running, now, rss, color }: StatusLineProps) {
  const snapshot = status.snapshot
    ? `${status.snapshot} · ${status.language === 'python' ? 'Python' : status.language === 'v8' ? 'V8' : (status.language ?? '?')} · ${formatCount(status.nodeCount)} objects · ${formatCount(status.edgeCount)} refs · ${formatBytes(status.totalSize)}`
    : 'no snapshot — load FILE';
  const memory = `RSS ${formatBytes(rss)}`;
  if (running) {
    const elapsed = ((now - running.startedAt) / 1000).toFixed(1);
    const frame = spinnerFrames[Math.floor(now / 100) % spinnerFrames.length];
    const hint = running.cancelRequestedAt === null ? 'Ctrl-C cancels' : 'cancelling…';
    return (
      <Text wrap="truncate-end">
        <Text color={color ? 'yellow' : undefined} bold={!color}>{`${frame} ${running.text}`}</Text>
        <Text dimColor>{` ${elapsed} s · ${hint} · ${snapshot} · ${memory}`}</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate-end" dimColor>
      {`${snapshot} · ${memory}`}
    </Text>
  );
}
