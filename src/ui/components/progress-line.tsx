// Layer 7 (ui): one row while a long phase runs (loading, indexing, dominators): phase name, bar, percentage and
// an ETA extrapolated from the phase so far.
import { Text } from 'ink';
import type { ProgressState } from '../state.js';

export interface ProgressLineProps {
  readonly progress: ProgressState;
  readonly now: number;
  readonly width: number;
  readonly color: boolean;
}

export function ProgressLine({ progress, now, width, color }: ProgressLineProps) {
  return (
    <Text wrap="truncate-end" color={color ? 'cyan' : undefined}>
      {progressText(progress, now, width)}
    </Text>
  );
}

/** `reading  [██████······]  45%  ETA 3 s`; without a total, just the phase and the count so far. */
export function progressText(progress: ProgressState, now: number, width: number): string {
  const { phase, done, total } = progress;
  if (total <= 0) return `${phase}${done > 0 ? ` ${done.toLocaleString('en-US')}` : ''}…`;
  const fraction = Math.min(1, Math.max(0, done / total));
  const barWidth = Math.max(10, Math.min(30, width - phase.length - 24));
  const filled = Math.round(fraction * barWidth);
  const bar = `${'█'.repeat(filled)}${'·'.repeat(barWidth - filled)}`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${phase}  ${bar} ${percent}${eta(progress, fraction, now)}`;
}

function eta(progress: ProgressState, fraction: number, now: number): string {
  const elapsed = now - progress.phaseStartedAt;
  // Too early to extrapolate: the first percent of a phase says little about the rest.
  if (fraction < 0.02 || elapsed < 300) return '';
  const remaining = (elapsed / fraction) * (1 - fraction);
  if (remaining < 1000) return '  ETA <1 s';
  if (remaining < 60_000) return `  ETA ${Math.ceil(remaining / 1000)} s`;
  return `  ETA ${Math.floor(remaining / 60_000)} min ${Math.round((remaining % 60_000) / 1000)} s`;
}
