// Layer 8 (cli): mounts the Ink shell (src/ui) on the terminal with its engine in a worker thread, the history
// file, and the snapshots named on the command line loaded through the shell so their progress shows. Imported
// only in interactive mode, so batch mode never loads React or Ink.
import { isAbsolute, relative } from 'node:path';
import { render } from 'ink';
import { createElement } from 'react';
import { App } from '../ui/components/app.js';
import { HistoryFile, historyFilePath } from './history-file.js';
import { WorkerEngine } from './worker-engine.js';

export interface InteractiveOptions {
  /** Loaded at start-up, in order, as batch mode does (each `load` makes its snapshot current). */
  readonly snapshotFiles: readonly string[];
  readonly useIndex: boolean;
  readonly demo: boolean;
  readonly version: string;
}

export async function runInteractive(options: InteractiveOptions): Promise<number> {
  // bin/gcsh.js turns NO_COLOR into FORCE_COLOR=0 for chalk; the renderers take the same decision here.
  const color = !process.env.NO_COLOR && process.env.FORCE_COLOR !== '0';
  const engine = new WorkerEngine({ session: { useIndex: options.useIndex } });
  const history = HistoryFile.open(historyFilePath());
  const welcome = [`gcsh ${options.version} — \`help\` lists commands · Tab completes · ↑ history · Ctrl-C cancels · Ctrl-D quits`];
  if (options.demo) welcome.push('demo: three snapshots of a leaking Node program — try `summary`, `cycles`, `retainers $1`, `snapshots`');
  // Paths relative to the working directory when inside it: the echoed `load` lines stay short.
  const startup = options.snapshotFiles.map((file) => `load ${quoteArg(displayPath(file))}`);
  const app = render(createElement(App, { engine, color, history, welcome, startup }), {
    // The shell decides: the first Ctrl-C cancels or clears, a second one on an empty line exits.
    exitOnCtrlC: false,
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

function displayPath(file: string): string {
  const relativePath = relative(process.cwd(), file);
  return relativePath !== '' && !relativePath.startsWith('..') && !isAbsolute(relativePath) ? relativePath : file;
}

function quoteArg(text: string): string {
  return /[\s;#"']/.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : text;
}
