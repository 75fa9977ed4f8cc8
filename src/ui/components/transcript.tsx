// Layer 7 (ui): finished output, printed once above the live area by <Static> (never re-rendered, so a long
// session costs nothing per keystroke). Remounted with a new key to clear the screen.
import { Static, Text } from 'ink';
import type { TranscriptEntry } from '../state.js';
import { promptText } from '../state.js';

export interface TranscriptProps {
  readonly entries: readonly TranscriptEntry[];
  readonly epoch: number;
  readonly color: boolean;
}

export function Transcript({ entries, epoch, color }: TranscriptProps) {
  return (
    <Static key={epoch} items={entries as TranscriptEntry[]}>
      {(entry) =>
        entry.kind === 'echo' ? (
          <Text key={entry.id}>
            <Text dimColor={color}>{promptText}</Text>
            {entry.text}
          </Text>
        ) : (
          <Text key={entry.id}>{entry.text}</Text>
        )
      }
    </Static>
  );
}
