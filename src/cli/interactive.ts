// Layer 8 (cli): mounts the Ink shell (src/ui) on the terminal with its engine in a worker thread, the history
// file, and the snapshots named on the command line loaded through the shell so their progress shows. Imported
// only in interactive mode, so batch mode never loads React or Ink.
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { snapshotNameFor } from '../commands/snapshot-name.js';
import type { DirectoryEntry } from '../ui/completion.js';
import { HistoryFile, historyFilePath } from './history-file.js';
import { pacedStdin } from './paced-stdin.js';
import { WorkerEngine } from './worker-engine.js';

export interface InteractiveOptions {
  /** Loaded at start-up, in order; the first is then made current, as in batch mode (SPEC §2). */
  readonly snapshotFiles: readonly string[];
  readonly useIndex: boolean;
  readonly demo: boolean;
  readonly version: string;
}

export async function runInteractive(options: InteractiveOptions): Promise<number> {
  // bin/gcsh.js turns NO_COLOR into FORCE_COLOR=0 for chalk; the renderers take the same decision here.
  const color = !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0';
  const welcome = [`gcsh ${options.version} — \`help\` lists commands · Tab completes · ↑ history · Ctrl-C cancels · Ctrl-D quits`];
  if (options.demo) welcome.push(`demo: ${options.snapshotFiles.length} snapshots loaded, the last one current — try \`summary\`, \`cycles\`, \`retainers $1\`, \`snapshots\``);
  const instant = drawInstantPrompt(welcome, color);
  // The engine worker boots (loading the engine's modules) while this thread loads Ink: the start-up loads then
  // begin as soon as the shell is up.
  const engine = new WorkerEngine({ session: { useIndex: options.useIndex } });

  // NO_COLOR asks for no colour, not for no cursor: bin/gcsh.js set FORCE_COLOR=0, which would also remove the
  // inverse video that draws the prompt's cursor and the selected suggestion. The shell passes no colours when
  // `color` is off, so styles (inverse, bold, dim) stay and colours do not. Set before chalk is first imported.
  if (!color) process.env.FORCE_COLOR = '1';
  // React's development builds are several times larger and slower to load: they are for React's own users.
  process.env.NODE_ENV ??= 'production';
  let modules;
  try {
    modules = await Promise.all([import('ink'), import('react'), import('../ui/components/app.js')]);
  } catch (error) {
    instant.restore();
    await engine.close();
    throw error;
  }
  const [{ render }, { createElement }, { App }] = modules;
  const history = HistoryFile.open(historyFilePath());
  // Paths relative to the working directory when inside it: the echoed `load` lines stay short.
  const startup = options.snapshotFiles.map((file) => `load ${quoteArg(displayPath(file))}`);
  // SPEC §2: the first snapshot named is current (the demo orders its files so the one to start with is last).
  if (!options.demo && options.snapshotFiles.length > 1) startup.push(`use ${quoteArg(snapshotNameFor(options.snapshotFiles[0]!))}`);
  instant.erase();
  const app = render(createElement(App, { engine, color, history, startup, listDirectory }), {
    // The shell decides: the first Ctrl-C cancels or clears, a second one on an empty line exits.
    exitOnCtrlC: false,
    // Keys read together reach the input one escape sequence at a time (see paced-stdin.ts).
    stdin: pacedStdin(process.stdin) as unknown as NodeJS.ReadStream,
  });
  const stop = () => app.unmount();
  process.once('SIGTERM', stop);
  process.once('SIGHUP', stop);
  try {
    await app.waitUntilExit();
  } finally {
    process.off('SIGTERM', stop);
    process.off('SIGHUP', stop);
    await engine.close();
  }
  return 0;
}

/**
 * Loading Ink and React takes several hundred milliseconds on a slow machine, so the welcome text, the prompt and
 * the status row are drawn at once with plain writes (an "instant prompt"). Raw mode goes on immediately so keys
 * typed meanwhile are neither echoed nor lost: they wait in the terminal until Ink reads them. The prompt and
 * status rows are erased just before Ink draws the same rows; the welcome text stays as ordinary output.
 */
function drawInstantPrompt(welcome: readonly string[], color: boolean): { erase(): void; restore(): void } {
  const stdout = process.stdout;
  const stdin = process.stdin;
  const columns = stdout.columns || 80;
  const clip = (text: string) => (text.length >= columns ? `${text.slice(0, columns - 2)}…` : text);
  const prompt = color ? '\u001b[2mgcsh>\u001b[22m ' : 'gcsh> ';
  const status = clip('starting…');
  stdout.write(`${welcome.join('\n')}\n${prompt}\n${color ? `\u001b[2m${status}\u001b[22m` : status}`);
  const raw = Boolean(stdin.isTTY);
  if (raw) stdin.setRawMode(true);
  return {
    // Back to the start of the prompt row, clearing it and the status row.
    erase: () => stdout.write('\r\u001b[2K\u001b[1A\u001b[2K'),
    restore: () => {
      stdout.write('\n');
      if (raw) stdin.setRawMode(false);
    },
  };
}

/** Directory entries for `load FILE` completion; a symbolic link counts as a folder when it points to one. */
function listDirectory(path: string): readonly DirectoryEntry[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .slice(0, 10_000)
      .map((entry) => {
        let directory = entry.isDirectory();
        if (entry.isSymbolicLink()) {
          try {
            directory = statSync(join(path, entry.name)).isDirectory();
          } catch {
            // A dangling link: offer it as a file name; `load` will say what is wrong.
          }
        }
        return { name: entry.name, directory };
      });
  } catch {
    return [];
  }
}

function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : file;
}

function quoteArg(text: string): string {
  return /[\s;#"']/.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : text;
}
