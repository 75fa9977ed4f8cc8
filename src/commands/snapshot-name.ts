// Layer 5 (commands): the default name of a loaded snapshot. Its own module so the interactive front door can use it
// without loading readers and analyses on the UI thread.
import { basename } from 'node:path';

/** A default snapshot name from its file name: `app.heapsnapshot.gz` → `app`. */
export function snapshotNameFor(path: string): string {
  return basename(path).replace(/\.gz$/i, '').replace(/\.(heapsnapshot|pyheap|json)$/i, '') || 'snapshot';
}
