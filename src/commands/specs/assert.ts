// Layer 5 (commands): `assert EXPR` — checks for CI scripts (`assert garbage == 0`, `assert growth Foo <= 0`); a
// check that does not hold fails with code assert-failed, which batch mode turns into exit code 3.
import { GcshError } from '../../base/errors.js';
import { diffSnapshots } from '../../analyses/growth.js';
import { classesMatching, resolveClassName } from '../class-match.js';
import { garbageSet } from '../garbage-set.js';
import type { LoadedSnapshot } from '../loaded-snapshot.js';
import type { Session } from '../session.js';
import type { CommandSpec } from '../types.js';
import { defaultGrowthPair } from './growth.js';

const operators = ['==', '!=', '<=', '>=', '<', '>'] as const;
type Operator = (typeof operators)[number];

interface Metric {
  readonly needsType: boolean | 'optional';
  readonly summary: string;
  measure(session: Session, snapshot: LoadedSnapshot, type: string | undefined): number;
}

function classInstances(snapshot: LoadedSnapshot, type: string): number {
  const classIndex = resolveClassName(snapshot, type);
  let count = 0;
  const { classOf } = snapshot.derived;
  const self = snapshot.store.selfSize;
  for (let i = 0; i < snapshot.store.nodeCount; i++) if (classOf[i] === classIndex && self[i]! > 0) count++;
  return count;
}


const metrics: Readonly<Record<string, Metric>> = {
  garbage: { needsType: false, summary: 'objects a collection would free now', measure: (_s, snapshot) => garbageSet(snapshot).ordinals.length },
  'garbage-bytes': { needsType: false, summary: 'bytes a collection would free now', measure: (_s, snapshot) => garbageSet(snapshot).bytes },
  count: { needsType: true, summary: 'instances of TYPE', measure: (_s, snapshot, type) => classInstances(snapshot, type!) },
  retained: {
    needsType: true,
    summary: 'retained size of TYPE (bytes)',
    measure: (_s, snapshot, type) => {
      const classIndex = resolveClassName(snapshot, type!);
      return snapshot.aggregates().find((a) => a.classIndex === classIndex)?.retainedSize ?? 0;
    },
  },
  growth: {
    needsType: 'optional',
    summary: 'count growth of TYPE (or of all objects) between the pair `growth` compares',
    measure: (session, _snapshot, type) => {
      const [older, newer] = defaultGrowthPair(session);
      const diff = diffSnapshots(older, newer);
      if (type === undefined) return diff.addedCount - diff.removedCount;
      const wanted = classesMatching(newer, type);
      const exact = diff.classes.filter((c) => c.name.toLowerCase() === type.toLowerCase());
      const rows = exact.length > 0 ? exact : diff.classes.filter((c) => wanted.has(c.classIndex));
      return rows.reduce((sum, c) => sum + c.countDelta, 0);
    },
  },
  cycles: { needsType: false, summary: 'reference cycles among user objects', measure: (_s, snapshot) => snapshot.cycles().totalCount },
  objects: { needsType: false, summary: 'objects in the snapshot', measure: (_s, snapshot) => snapshot.store.nodeCount },
  size: { needsType: false, summary: 'total heap size (bytes)', measure: (_s, snapshot) => snapshot.derived.totalSize },
};

/** `10`, `1.5k`, `2MB`, `512kB` → a number (decimal units, like the sizes gcsh prints). */
export function parseQuantity(text: string): number {
  const match = /^(-?\d+(?:\.\d+)?)\s*(k|m|g|kb|mb|gb|b)?$/i.exec(text.trim());
  if (!match) throw new GcshError('bad-argument', `assert: '${text}' is not a number`);
  const scale: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9 };
  return Number(match[1]) * scale[(match[2] ?? '').toLowerCase()]!;
}

function holds(actual: number, operator: Operator, expected: number): boolean {
  switch (operator) {
    case '==':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}

export const assertCommand: CommandSpec = {
  name: 'assert',
  category: 'session',
  summary: 'check a condition in a CI script; exit code 3 when it does not hold',
  usage: 'assert METRIC [TYPE] OP VALUE',
  help:
    'Metrics: ' +
    Object.entries(metrics)
      .map(([name, metric]) => `${name}${metric.needsType === true ? ' TYPE' : metric.needsType === 'optional' ? ' [TYPE]' : ''} (${metric.summary})`)
      .join('; ') +
    '.\nOperators: == != < <= > >=. Values may carry decimal units: 10k, 2MB.',
  examples: ['assert garbage == 0', 'assert growth RequestContext <= 0', 'assert retained Leaky < 1MB', 'assert count A == 0'],
  seeAlso: ['garbage', 'growth', 'summary'],
  args: { positionals: [{ name: 'EXPR', kind: 'string', summary: 'METRIC [TYPE] OP VALUE', rest: true }], flags: [] },
  run(ctx, args) {
    const expression = String(args.EXPR);
    const match = /^\s*([\w-]+)\s*(.*?)\s*(==|!=|<=|>=|<|>)\s*(\S+)\s*$/.exec(expression);
    if (!match) throw new GcshError('bad-argument', `assert: cannot read '${expression}' — expected METRIC [TYPE] OP VALUE, e.g. \`assert garbage == 0\``);
    const [, metricName, typeText, operatorText, valueText] = match as unknown as [string, string, string, Operator, string];
    const metric = metrics[metricName.toLowerCase()];
    if (!metric) throw new GcshError('bad-argument', `assert: unknown metric '${metricName}' (one of ${Object.keys(metrics).join(', ')})`);
    const type = typeText === '' ? undefined : typeText.replace(/^["']|["']$/g, '');
    if (metric.needsType === true && type === undefined) throw new GcshError('bad-argument', `assert ${metricName} needs a TYPE, e.g. \`assert ${metricName} Foo < 10\``);
    if (metric.needsType === false && type !== undefined) throw new GcshError('bad-argument', `assert ${metricName} takes no TYPE`);
    const snapshot = ctx.session.current();
    const actual = metric.measure(ctx.session, snapshot, type);
    const expected = parseQuantity(valueText);
    const subject = `${metricName}${type === undefined ? '' : ` ${type}`}`;
    if (!holds(actual, operatorText, expected)) throw new GcshError('assert-failed', `assertion failed: ${subject} ${operatorText} ${valueText} (actual ${actual})`);
    return { kind: 'message', text: `ok: ${subject} ${operatorText} ${valueText} (actual ${actual})`, data: { metric: metricName, type: type ?? null, operator: operatorText, expected, actual, holds: true } };
  },
};
