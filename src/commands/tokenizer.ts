// Layer 5 (commands): split a typed or scripted line into commands and tokens. Quote-aware, so `find "a; b"` is
// one command; tokens keep their column so usage errors can point at them.
import { GcshError } from '../base/errors.js';

export interface Token {
  readonly text: string;
  /** 0-based column of the token's first character in the command. */
  readonly column: number;
  /** The token was quoted, so it is never a flag. */
  readonly quoted: boolean;
}

/**
 * Split one line into commands: `;` separates commands and `#` at the start of a word begins a comment,
 * both outside quotes (SPEC §2 command files). Empty commands are dropped.
 */
export function splitCommands(line: string): string[] {
  const commands: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== null) {
      current += ch;
      if (ch === '\\' && i + 1 < line.length) current += line[++i];
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      current += ch;
    } else if (ch === ';') {
      if (current.trim() !== '') commands.push(current.trim());
      current = '';
    } else if (ch === '#' && (current === '' || /\s$/.test(current))) {
      break;
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '') commands.push(current.trim());
  return commands;
}

/** Split one command into whitespace-separated tokens; quotes group and are removed, `\` escapes inside quotes. */
export function tokenize(command: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < command.length) {
    while (i < command.length && /\s/.test(command[i]!)) i++;
    if (i >= command.length) break;
    const column = i;
    let text = '';
    let quoted = false;
    while (i < command.length && !/\s/.test(command[i]!)) {
      const ch = command[i]!;
      if (ch === '"' || ch === "'") {
        quoted = true;
        const close = ch;
        i++;
        while (i < command.length && command[i] !== close) {
          if (command[i] === '\\' && i + 1 < command.length) i++;
          text += command[i];
          i++;
        }
        if (i >= command.length) throw new GcshError('bad-argument', `unterminated ${close === '"' ? 'double' : 'single'} quote at column ${column + 1}`);
        i++;
      } else {
        text += ch;
        i++;
      }
    }
    tokens.push({ text, column, quoted });
  }
  return tokens;
}
