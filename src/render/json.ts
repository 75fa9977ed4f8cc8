// Layer 6 (render): command outcomes to JSON Lines records (SPEC §5). Field names are public API: scripts depend on
// them, so they change only with the spec. Sizes are raw bytes; no ANSI ever.
import type { CommandOutcome, CommandResult, ObjectRecord, PathStep, RetainerTreeNode } from '../commands/types.js';

export type JsonRecord = Record<string, unknown>;

/** The SPEC §5 object record: id, ref, type, name, selfSize and, where known, retainedSize, distance, repr. */
export function objectJson(object: ObjectRecord): JsonRecord {
  const record: JsonRecord = { id: object.id, ref: object.ref, type: object.type, name: object.name, kind: object.kind, selfSize: object.selfSize };
  if (object.retainedSize !== undefined) record.retainedSize = object.retainedSize;
  if (object.distance !== undefined) record.distance = object.distance;
  if (object.repr !== undefined) record.repr = object.repr;
  return record;
}

function stepJson(step: PathStep): JsonRecord {
  return {
    ref: step.object.ref,
    id: step.object.id,
    type: step.object.type,
    name: step.object.name,
    ...(step.object.repr === undefined ? {} : { repr: step.object.repr }),
    edge: step.edge?.label ?? null,
    edgeKind: step.edge?.kind ?? null,
  };
}

function treeJson(node: RetainerTreeNode): JsonRecord {
  const record: JsonRecord = { ...objectJson(node.object), edge: node.edge?.label ?? null, children: node.children.map(treeJson) };
  if (node.cycle) record.cycle = true;
  if (node.truncatedChildren) record.truncatedChildren = node.truncatedChildren;
  return record;
}

export function resultJson(result: CommandResult): JsonRecord {
  switch (result.kind) {
    case 'message':
      return { message: result.text, ...(result.data ?? {}) };
    case 'help':
      return { ...result.data, text: result.text };
    case 'quit':
      return {};
    case 'table': {
      const rows = result.rows.map((row) => {
        const base = row.object ? objectJson(row.object) : {};
        return { ...base, ...row.cells, ...(row.json ?? {}) };
      });
      return { [result.jsonKey]: rows, total: result.page.total, offset: result.page.offset, ...(result.extra ?? {}), ...(result.notes?.length ? { notes: result.notes } : {}) };
    }
    case 'object':
      return {
        object: objectJson(result.object),
        ...(result.extra ?? {}),
        referents: result.edges.map(({ edge, object }) => ({ edge: edge.label, edgeKind: edge.kind, ...objectJson(object) })),
        total: result.page.total,
        offset: result.page.offset,
      };
    case 'edges':
      return {
        object: objectJson(result.object),
        [result.direction]: result.edges.map(({ edge, object }) => ({ edge: edge.label, edgeKind: edge.kind, ...objectJson(object) })),
        total: result.page.total,
        offset: result.page.offset,
      };
    case 'retainers':
      return { object: objectJson(result.target), paths: result.paths.map((path) => path.map(stepJson)), tree: treeJson(result.tree), notes: result.notes };
    case 'chain':
      return { object: objectJson(result.target), dominators: result.chain.map(objectJson) };
    case 'cycles':
      return {
        cycles: result.cycles.map((cycle) => ({
          objects: cycle.objects.map(objectJson),
          objectCount: cycle.objectCount,
          size: cycle.size,
          retainedSize: cycle.retainedSize,
          garbage: cycle.garbage,
          ...(cycle.edges ? { edges: cycle.edges.map((edge) => edge.label) } : {}),
        })),
        total: result.page.total,
        offset: result.page.offset,
        notes: result.notes,
      };
  }
}

/** One JSON Lines record for an outcome, with its timing (`elapsedMs`). */
export function outcomeJson(outcome: CommandOutcome): JsonRecord {
  if (!outcome.ok) return { command: outcome.command, ok: false, error: outcome.error, code: outcome.code, elapsedMs: round(outcome.elapsedMs) };
  return { command: outcome.command, ok: true, ...resultJson(outcome.result), elapsedMs: round(outcome.elapsedMs) };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
