// Layer 7 (ui): the completion list under the prompt — at most a few rows, matched characters bold, the detail
// dimmed, the selected row inverted, and "8 of 1,234" when there are more.
import { Box, Text } from 'ink';
import { formatCount } from '../../base/format.js';
import type { Candidate, Completion } from '../completion.js';

export interface SuggestionListProps {
  readonly completion: Completion;
  /** Index of the candidate now in the line while Tab-cycling, else null. */
  readonly selected: number | null;
  readonly width: number;
}

export function SuggestionList({ completion, selected, width }: SuggestionListProps) {
  const items = completion.items;
  if (items.length === 0) return null;
  const labelWidth = Math.min(Math.max(...items.map((item) => item.label.length)), Math.floor(width / 2));
  return (
    <Box flexDirection="column">
      {items.map((item, i) => (
        <Text key={`${i}:${item.label}`} wrap="truncate-end" inverse={i === selected}>
          {/* The marker shows the selection without colour too (NO_COLOR removes inverse video). */}
          {i === selected ? '› ' : '  '}
          <Label item={item} width={labelWidth} />
          {'  '}
          <Text dimColor>{item.detail}</Text>
        </Text>
      ))}
      {completion.total > items.length ? (
        <Text dimColor wrap="truncate-end">
          {`  ${formatCount(items.length)} of ${formatCount(completion.total)}${completion.partial ? '+' : ''} — keep typing to narrow, Tab cycles`}
        </Text>
      ) : null}
    </Box>
  );
}

function Label({ item, width }: { readonly item: Candidate; readonly width: number }) {
  const label = item.label.length > width ? `${item.label.slice(0, Math.max(0, width - 1))}…` : item.label;
  const matched = new Set(item.matches);
  const parts: { text: string; bold: boolean }[] = [];
  for (let i = 0; i < label.length; i++) {
    const bold = matched.has(i);
    const last = parts[parts.length - 1];
    if (last && last.bold === bold) last.text += label[i];
    else parts.push({ text: label[i]!, bold });
  }
  return (
    <Text>
      {parts.map((part, i) => (
        <Text key={i} bold={part.bold}>
          {part.text}
        </Text>
      ))}
      {' '.repeat(Math.max(0, width - label.length))}
    </Text>
  );
}
