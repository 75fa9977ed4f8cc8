// Layer 5 (commands): `load FILE [as NAME]` — open another snapshot and make it current.
import { GcshError } from '../../base/errors.js';
import { formatBytes, formatCount, formatDuration } from '../../base/format.js';
import { openSnapshot, snapshotNameFor } from '../open-snapshot.js';
import type { CommandSpec } from '../types.js';

export const loadCommand: CommandSpec = {
  name: 'load',
  aliases: ['open'],
  category: 'session',
  summary: 'load a .heapsnapshot or .pyheap file (gzip too) and make it current',
  usage: 'load FILE [as NAME]',
  help:
    'Reads a V8 heap snapshot (from Node, Chrome, or `v8.writeHeapSnapshot()`) or a Python heap dump written by\n' +
    'gcsh_agent.py, computes distances, dominators and retained sizes, and makes it the current snapshot.\n' +
    'The first load writes an index file beside the snapshot (`FILE.gcshidx`, or in ~/.cache/gcsh when that\n' +
    'folder is read-only) so the next load is near-instant; `--no-index` on the command line turns that off.',
  examples: ['load before.heapsnapshot', 'load after.heapsnapshot.gz as after'],
  seeAlso: ['snapshots', 'use', 'summary'],
  args: {
    positionals: [{ name: 'FILE', kind: 'string', summary: 'snapshot file', completes: 'file', rest: true }],
    flags: [],
  },
  async run(ctx, args) {
    const words = String(args.FILE).split(' ');
    let file = String(args.FILE);
    let wantedName: string | undefined;
    const asAt = words.lastIndexOf('as');
    if (asAt > 0 && asAt === words.length - 2) {
      file = words.slice(0, asAt).join(' ');
      wantedName = words[asAt + 1];
    } else if (asAt === words.length - 1 && asAt > 0) {
      throw new GcshError('bad-argument', 'load: `as` needs a NAME after it');
    }
    const session = ctx.session;
    const name = wantedName ?? session.uniqueName(snapshotNameFor(file));
    const snapshot = await openSnapshot(file, {
      name,
      useIndex: session.options.useIndex,
      ...(session.options.cacheDir === undefined ? {} : { cacheDir: session.options.cacheDir }),
      indexInBackground: session.options.indexInBackground === true,
      progress: ctx.progress,
      cancel: ctx.cancel,
    });
    session.add(snapshot);
    const { store } = snapshot;
    const total = snapshot.phases.total ?? 0;
    return {
      kind: 'message',
      text:
        `loaded '${name}': ${store.language === 'python' ? 'Python' : 'V8'} heap, ${formatCount(store.nodeCount)} objects, ` +
        `${formatCount(store.edgeCount)} references, ${formatBytes(snapshot.derived.totalSize)} in ${formatDuration(total)}` +
        (snapshot.fromIndex ? ' (from index)' : ''),
      data: {
        name,
        path: store.source.path,
        language: store.language,
        fileSize: store.source.byteSize,
        nodeCount: store.nodeCount,
        edgeCount: store.edgeCount,
        totalSize: snapshot.derived.totalSize,
        fromIndex: snapshot.fromIndex,
        indexPath: snapshot.indexPath,
        phases: snapshot.phases,
      },
    };
  },
};
