// Layer 8 (cli): argv, mode selection (SPEC §2), loading the snapshots named on the command line, and the batch or
// interactive front door. The only place that reads process.argv and calls process.exit.
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { GcshError } from '../base/errors.js';
import { ExitCode, runBatch } from '../batch/run-batch.js';
import { Engine } from '../commands/engine.js';
import { whenIndexWritesSettle } from '../commands/open-snapshot.js';
import { Session } from '../commands/session.js';
import { agentPath, packageVersion } from './package-files.js';
import { progressPrinter } from './progress-printer.js';

const usage = `gcsh — the garbage-collector shell: find leaks, cycles and garbage in V8 and Python heaps

usage:
  gcsh [options] [SNAPSHOT ...]          open the shell with these snapshots loaded (first is current)
  gcsh --demo                            open the shell on the bundled demo snapshots
  gcsh agent-path                        print the path of gcsh_agent.py (the Python agent)

options:
  -e, --exec "CMD; CMD"   run commands, then exit (repeatable)
      --script FILE       run a command file (one command per line, # comments), then exit
      --json              JSON Lines output, one record per command
      --keep-going        continue a script after a failing command
      --no-index          do not read or write index files beside snapshots
  -h, --help              this help
      --version           print the version

Batch mode (plain text, no colours) runs when -e or --script is given or stdin/stdout is not a terminal;
commands then come from -e, --script, or stdin. Exit codes: 0 ok, 1 a command failed, 2 usage error,
3 an assert did not hold. Inside the shell, \`help\` lists commands.`;

export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await runMain(argv);
  } finally {
    // Loads in batch mode write their index files in the background; they must land before the process exits.
    await whenIndexWritesSettle();
  }
}

async function runMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        exec: { type: 'string', short: 'e', multiple: true },
        script: { type: 'string' },
        json: { type: 'boolean' },
        'keep-going': { type: 'boolean' },
        'no-index': { type: 'boolean' },
        demo: { type: 'boolean' },
        connect: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    process.stderr.write(`gcsh: ${(error as Error).message}\nTry 'gcsh --help'.\n`);
    return ExitCode.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return ExitCode.ok;
  }
  if (values.version) {
    process.stdout.write(`gcsh ${packageVersion()}\n`);
    return ExitCode.ok;
  }
  if (positionals[0] === 'agent-path') {
    process.stdout.write(`${agentPath()}\n`);
    return ExitCode.ok;
  }
  if (values.connect !== undefined) {
    process.stderr.write('gcsh: live mode (--connect) is not available yet in this version; load snapshot files instead.\n');
    return ExitCode.usage;
  }

  // Batch mode reports a load as soon as it is ready and writes the index meanwhile; it waits for it before exiting.
  const session = new Session({ useIndex: !values['no-index'], indexInBackground: true });
  const engine = new Engine(session);
  const json = Boolean(values.json);
  const interactive = values.exec === undefined && values.script === undefined && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
  const progress = progressPrinter(process.stderr);

  let snapshotFiles = positionals;
  let hint: string | null = null;
  if (values.demo) {
    const { demoHint, demoSnapshotFiles } = await import('./demo.js');
    try {
      snapshotFiles = [...demoSnapshotFiles(), ...positionals];
    } catch (error) {
      return reportUsage((error as Error).message);
    }
    hint = demoHint;
  }
  if (interactive) {
    // The Ink shell loads the snapshots itself, in its engine worker, with a progress bar.
    const { runInteractive } = await import('./interactive.js');
    return runInteractive({ snapshotFiles, useIndex: !values['no-index'], demo: Boolean(values.demo), version: packageVersion() });
  }
  for (const file of snapshotFiles) {
    const outcome = await engine.run(`load ${quoteArg(file)}`, { progress });
    progress.done();
    if (!outcome.ok) {
      process.stderr.write(`gcsh: ${outcome.error}\n`);
      return ExitCode.usage;
    }
    if (!json && outcome.result.kind === 'message') process.stderr.write(`${outcome.result.text}\n`);
  }
  // SPEC §2: the first snapshot named is current (the demo orders its files so the one to start with is last).
  if (!values.demo && session.snapshots.length > 1) session.use(session.snapshots[0]!.name);
  if (hint !== null && !json) process.stderr.write(`${hint}\n`);
  // The argv loads are not commands the user typed: `$N` and `more` start fresh.
  session.rememberRows([], 0);
  session.pager = null;
  session.history.length = 0;

  let lines: AsyncIterable<string> | Iterable<string>;
  if (values.exec !== undefined || values.script !== undefined) {
    const collected: string[] = [];
    if (values.script !== undefined) {
      if (!existsSync(values.script)) {
        process.stderr.write(`gcsh: cannot read script ${values.script}: no such file\n`);
        return ExitCode.usage;
      }
      try {
        collected.push(...readFileSync(values.script, 'utf8').split(/\r?\n/));
      } catch (error) {
        process.stderr.write(`gcsh: cannot read script ${values.script}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
        return ExitCode.usage;
      }
    }
    collected.push(...(values.exec ?? []));
    lines = collected;
  } else {
    lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  }
  const width = process.stdout.columns ?? (Number(process.env.COLUMNS) || 100);
  const exitCode = await runBatch(engine, lines, {
    json,
    keepGoing: Boolean(values['keep-going']),
    width,
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
  });
  return exitCode;
}

function reportUsage(message: string): number {
  process.stderr.write(`gcsh: ${message}\n`);
  return ExitCode.usage;
}

function quoteArg(text: string): string {
  return /[\s;#"']/.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : text;
}

export function reportFatal(error: unknown): number {
  if (error instanceof GcshError) process.stderr.write(`gcsh: ${error.message}\n`);
  else process.stderr.write(`gcsh: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return ExitCode.commandFailed;
}
