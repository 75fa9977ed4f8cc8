// Layer 8 (cli): the interactive shell's command history on disk (notes §9) — XDG state dir, one command per line
// with newlines escaped, appended on every submit (a crash loses nothing; two sessions both keep their lines),
// bounded by rewriting through a temporary file. Batch mode never opens it.
import { appendFileSync, chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';

/** Lines loaded at start-up. */
export const historyLoadLimit = 1000;
/** When the file passes this many lines it is rewritten with the newest `historyLoadLimit`. */
export const historyCompactAt = 2000;

/**
 * Where history lives: `$GCSH_HISTORY` (set but empty: no history), else `$XDG_STATE_HOME/gcsh/history` (relative
 * values are ignored, as the XDG spec says), else `%LOCALAPPDATA%\gcsh\history` on Windows, else
 * `~/.local/state/gcsh/history`. Null means history is off.
 */
export function historyFilePath(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), platform: NodeJS.Platform = process.platform): string | null {
  if (env.GCSH_HISTORY !== undefined) return env.GCSH_HISTORY === '' ? null : env.GCSH_HISTORY;
  const state = env.XDG_STATE_HOME;
  if (state && isAbsolute(state)) return join(state, 'gcsh', 'history');
  if (platform === 'win32' && env.LOCALAPPDATA && isAbsolute(env.LOCALAPPDATA)) return join(env.LOCALAPPDATA, 'gcsh', 'history');
  if (!home) return null;
  return join(home, '.local', 'state', 'gcsh', 'history');
}

export function escapeHistoryLine(line: string): string {
  return line.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export function unescapeHistoryLine(text: string): string {
  return text.replace(/\\(\\|n|r)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 'r' ? '\r' : '\\'));
}

export class HistoryFile {
  readonly path: string | null;
  private loaded: string[];
  private lineCount: number;
  private broken = false;

  private constructor(path: string | null, entries: string[], lineCount: number) {
    this.path = path;
    this.loaded = entries;
    this.lineCount = lineCount;
  }

  /** Read the newest entries. A missing or unreadable file is an empty history, never an error. */
  static open(path: string | null): HistoryFile {
    if (path === null) return new HistoryFile(null, [], 0);
    let lines: string[] = [];
    try {
      lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
    } catch {
      // First run, or unreadable: start empty and let record() try to create it.
    }
    return new HistoryFile(path, lines.slice(-historyLoadLimit).map(unescapeHistoryLine), lines.length);
  }

  /** The entries read at start-up (oldest first). */
  get entries(): readonly string[] {
    return this.loaded;
  }

  /** Append one line now. Failures (read-only home, full disk) switch history off for the session quietly. */
  record(line: string): void {
    if (this.path === null || this.broken) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      appendFileSync(this.path, `${escapeHistoryLine(line)}\n`, { mode: 0o600 });
      this.lineCount++;
      if (this.lineCount > historyCompactAt) this.compact();
    } catch {
      this.broken = true;
    }
  }

  private compact(): void {
    const path = this.path!;
    const lines = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
    const kept = lines.slice(-historyLoadLimit);
    // Through a temporary file and rename, so a crash mid-write never leaves a truncated history.
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${kept.join('\n')}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, path);
    this.lineCount = kept.length;
  }
}
