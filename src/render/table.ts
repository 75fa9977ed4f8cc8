// Layer 6 (render): aligned text tables with numbered rows (the numbers are what `$N` picks).
import { formatBytes, formatCount } from '../base/format.js';
import type { Cell, Column, TableRow } from '../commands/types.js';
import { clipText, type RenderOptions, type Styles } from './style.js';

export function formatCell(value: Cell, format: Column['format']): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    switch (format) {
      case 'bytes':
        return formatBytes(value);
      case 'signedBytes':
        return `${value > 0 ? '+' : ''}${formatBytes(value)}`;
      case 'signedCount':
        return `${value > 0 ? '+' : ''}${formatCount(value)}`;
      case 'count':
        return formatCount(value);
      default:
        return String(value);
    }
  }
  return String(value);
}

/** Render rows under a header; the widest text column absorbs any shortage of width. */
export function renderTable(columns: readonly Column[], rows: readonly TableRow[], firstRowNumber: number | null, options: RenderOptions, styles: Styles): string[] {
  const numberWidth = firstRowNumber === null ? 0 : String(firstRowNumber + rows.length - 1).length + 1;
  const texts = rows.map((row) => columns.map((column) => formatCell(row.cells[column.key], column.format)));
  const widths = columns.map((column, c) => Math.max(column.title.length, ...texts.map((cells) => cells[c]!.length)));
  const gap = 2;
  const total = (firstRowNumber === null ? 0 : numberWidth + gap) + widths.reduce((sum, w) => sum + w + gap, 0) - gap;
  if (total > options.width) {
    // Shrink the widest left-aligned (text) column, never below 12 characters.
    let widest = -1;
    columns.forEach((column, c) => {
      if (column.align !== 'right' && (widest < 0 || widths[c]! > widths[widest]!)) widest = c;
    });
    if (widest >= 0) widths[widest] = Math.max(12, widths[widest]! - (total - options.width));
  }
  const line = (cells: readonly string[], number: string) => {
    const parts = columns.map((column, c) => {
      const text = clipText(cells[c]!, widths[c]!);
      return column.align === 'right' ? text.padStart(widths[c]!) : text.padEnd(widths[c]!);
    });
    const body = parts.join(' '.repeat(gap)).trimEnd();
    return firstRowNumber === null ? body : `${number.padStart(numberWidth)}${' '.repeat(gap)}${body}`;
  };
  const out = [styles.bold(line(columns.map((column) => column.title), firstRowNumber === null ? '' : '#'))];
  texts.forEach((cells, r) => out.push(line(cells, firstRowNumber === null ? '' : `$${firstRowNumber + r}`)));
  return out;
}
