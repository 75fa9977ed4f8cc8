// Layer 6 (render): command results to plain text (batch output, and what the Ink transcript shows). One renderer per
// result kind; colour only through Styles so NO_COLOR and batch mode get no escape codes.
import { formatBytes, formatCount } from '../base/format.js';
import type { CommandOutcome, CommandResult, CycleView, ObjectRecord, Page, RetainerTreeNode } from '../commands/types.js';
import { clipText, stylesFor, type RenderOptions, type Styles } from './style.js';
import { renderTable } from './table.js';

export const defaultRenderOptions: RenderOptions = { width: 100, color: false };

/** Render an outcome: its result, or its one-line error. */
export function renderOutcomeText(outcome: CommandOutcome, options: RenderOptions = defaultRenderOptions): string {
  const styles = stylesFor(options);
  if (!outcome.ok) return styles.red(`error: ${outcome.error}`);
  return renderResultText(outcome.result, options);
}

/** One-line description of an object: `@123 Foo "repr"`; engine-internal types also show their node name. */
export function describeObject(object: ObjectRecord, styles: Styles, width = 80): string {
  const type = object.type || object.kind;
  const detail = object.repr !== undefined ? ` ${object.repr}` : type.startsWith('(') && object.name !== '' && object.name !== type ? ` ${styles.dim(object.name)}` : '';
  const plain = `${object.ref} ${type}${detail}`;
  if (plain.length > width) return clipText(plain, width);
  return `${styles.cyan(object.ref)} ${styles.bold(type)}${detail}`;
}

function sizes(object: ObjectRecord): string {
  return `${formatBytes(object.selfSize)} self, ${formatBytes(object.retainedSize ?? 0)} retained`;
}

export function moreFooter(page: Page): string | null {
  const remaining = page.total - page.offset - page.shown;
  return remaining > 0 ? `${formatCount(remaining)} more — \`more\` to continue` : null;
}

export function renderResultText(result: CommandResult, options: RenderOptions = defaultRenderOptions): string {
  const styles = stylesFor(options);
  const lines: string[] = [];
  switch (result.kind) {
    case 'message':
    case 'help':
      return result.text;
    case 'quit':
      return '';
    case 'table': {
      if (result.title) lines.push(styles.bold(result.title));
      if (result.preface) lines.push(...result.preface);
      const numbered = result.rows.some((row) => row.object !== undefined);
      if (result.rows.length > 0) lines.push(...renderTable(result.columns, result.rows, numbered ? result.page.offset + 1 : null, options, styles));
      for (const note of result.notes ?? []) lines.push(styles.dim(note));
      const footer = moreFooter(result.page);
      if (footer) lines.push(styles.dim(footer));
      break;
    }
    case 'object': {
      lines.push(describeObject(result.object, styles, options.width));
      const keyWidth = Math.max(...result.fields.map(([key]) => key.length));
      for (const [key, value] of result.fields) lines.push(`  ${key.padEnd(keyWidth)}  ${clipText(value, options.width - keyWidth - 4)}`);
      if (result.flags.length > 0) lines.push(`  ${'flags'.padEnd(keyWidth)}  ${result.flags.join(', ')}`);
      lines.push(styles.bold(`referents (${formatCount(result.page.total)}):`));
      lines.push(...edgeLines(result.edges, result.page.offset, options, styles));
      const footer = moreFooter(result.page);
      if (footer) lines.push(styles.dim(footer));
      break;
    }
    case 'edges': {
      const what = result.direction === 'referents' ? 'referents of' : 'retainers of';
      lines.push(`${what} ${describeObject(result.object, styles, options.width)} (${formatCount(result.page.total)})`);
      lines.push(...edgeLines(result.edges, result.page.offset, options, styles));
      const footer = moreFooter(result.page);
      if (footer) lines.push(styles.dim(footer));
      break;
    }
    case 'retainers':
      lines.push(...retainersLines(result, options, styles));
      break;
    case 'chain': {
      lines.push(`dominators of ${describeObject(result.target, styles, options.width)}, nearest first:`);
      result.chain.forEach((object, i) => {
        lines.push(`  ${`$${i + 1}`.padEnd(4)} ${formatBytes(object.retainedSize ?? 0).padStart(9)}  ${describeObject(object, styles, options.width - 18)}`);
      });
      break;
    }
    case 'cycles':
      lines.push(...cyclesLines(result.cycles, result.page, options, styles));
      for (const note of result.notes) lines.push(styles.dim(note));
      break;
  }
  return lines.join('\n');
}

function edgeLines(edges: readonly { edge: { label: string }; object: ObjectRecord }[], offset: number, options: RenderOptions, styles: Styles): string[] {
  if (edges.length === 0) return [styles.dim('  (none)')];
  const labelWidth = Math.min(28, Math.max(...edges.map((e) => e.edge.label.length)));
  const numberWidth = String(offset + edges.length).length + 1;
  return edges.map(({ edge, object }, i) => {
    const size = formatBytes(object.retainedSize ?? object.selfSize).padStart(9);
    const label = clipText(edge.label, labelWidth).padEnd(labelWidth);
    return `  ${`$${offset + i + 1}`.padEnd(numberWidth)}  ${label}  ${size}  ${describeObject(object, styles, Math.max(20, options.width - labelWidth - numberWidth - 18))}`;
  });
}

function retainersLines(result: Extract<CommandResult, { kind: 'retainers' }>, options: RenderOptions, styles: Styles): string[] {
  const lines = [`retainers of ${describeObject(result.target, styles, options.width)} (${sizes(result.target)}${result.target.distance === undefined ? ', unreachable' : `, distance ${result.target.distance}`})`];
  if (result.paths.length > 0) {
    lines.push(styles.bold(result.paths.length === 1 ? 'shortest path from a root:' : `${result.paths.length} shortest paths from a root:`));
    let row = 1;
    result.paths.forEach((path, p) => {
      if (result.paths.length > 1) lines.push(`  path ${p + 1}:`);
      path.forEach((step, s) => {
        const number = p === 0 ? `$${row++}` : '';
        const edge = step.edge ? `${styles.dim('─')} ${step.edge.label} ${styles.dim('→')} ` : '';
        lines.push(`  ${number.padEnd(4)} ${'  '.repeat(Math.min(s, 12))}${edge}${describeObject(step.object, styles, options.width - 10 - 2 * s)}`);
      });
    });
  }
  lines.push(styles.bold('retainer tree:'));
  lines.push(...treeLines(result.tree, '', true, options, styles).slice(1));
  for (const note of result.notes) lines.push(styles.dim(note));
  return lines;
}

function treeLines(node: RetainerTreeNode, prefix: string, last: boolean, options: RenderOptions, styles: Styles): string[] {
  const lines: string[] = [];
  const head = node.edge ? `${node.edge.label} in ` : '';
  const distance = node.object.distance === undefined ? '' : styles.dim(` d=${node.object.distance}`);
  const marker = node.cycle ? styles.yellow(' (cycle)') : '';
  lines.push(`${prefix}${last ? '└─ ' : '├─ '}${head}${describeObject(node.object, styles, Math.max(20, options.width - prefix.length - head.length - 12))}${distance}${marker}`);
  const childPrefix = prefix + (last ? '   ' : '│  ');
  node.children.forEach((child, i) => {
    const isLast = i === node.children.length - 1 && !node.truncatedChildren;
    lines.push(...treeLines(child, childPrefix, isLast, options, styles));
  });
  if (node.truncatedChildren) lines.push(`${childPrefix}└─ ${styles.dim(`… ${formatCount(node.truncatedChildren)} more`)}`);
  // The root call's own line is the target; callers drop it and keep its children with a flat prefix.
  return lines;
}

function cyclesLines(cycles: readonly CycleView[], page: Page, options: RenderOptions, styles: Styles): string[] {
  if (cycles.length === 0) return ['no reference cycles found'];
  const lines: string[] = [];
  cycles.forEach((cycle, i) => {
    const garbage = cycle.garbage ? ` ${styles.red('[garbage]')}` : '';
    lines.push(`${`$${page.offset + i + 1}`.padEnd(4)} ${styles.bold(`${formatCount(cycle.objectCount)} object${cycle.objectCount === 1 ? '' : 's'}`)}, ${formatBytes(cycle.size)} self, ${formatBytes(cycle.retainedSize)} retained${garbage}`);
    cycle.objects.forEach((object, j) => {
      const edge = cycle.edges?.[j] ? `${styles.dim('─')} ${cycle.edges[j]!.label} ${styles.dim('→')}` : '';
      lines.push(`       ${describeObject(object, styles, options.width - 10)}${edge ? ` ${edge}` : ''}`);
    });
    if (cycle.edges && cycle.objects.length > 0) lines.push(styles.dim(`       (back to ${cycle.objects[0]!.ref})`));
    if (cycle.moreObjects > 0) lines.push(styles.dim(`       … ${formatCount(cycle.moreObjects)} more objects`));
  });
  const footer = moreFooter(page);
  if (footer) lines.push(styles.dim(footer));
  return lines;
}
