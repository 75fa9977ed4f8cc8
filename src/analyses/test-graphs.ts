// Layer 3 (analyses): tiny graph fixtures for tests and examples: graph('root->a a->b b-w->a').
// Tokens are edges `from->to` (a property edge named after the target) or `from-K->to` with K one of
// p(roperty) w(eak) s(hortcut) i(nternal) e(lement) h(idden) c(ontext); a bare name declares a node.
import type { GraphStore, HeapLanguage } from '../store/graph-store.js';
import { GraphBuilder } from '../store/graph-builder.js';
import { EdgeKind, NodeKind } from '../store/kinds.js';

export interface TestGraphOptions {
  language?: HeapLanguage;
  /** Self size per node name; default 1 (the root defaults to 0). */
  sizes?: Record<string, number>;
  /** Node kind per name (a NodeKind key such as 'hidden'); default 'object', the root 'synthetic'. */
  kinds?: Record<string, keyof typeof NodeKind>;
  /** Node name per token name; default the token itself. */
  names?: Record<string, string>;
  /** Edge names per token edge "a->b" when not the target's token. */
  edgeNames?: Record<string, string | number>;
  /** Name of the root token; default 'root'. */
  root?: string;
}

export interface TestGraph {
  readonly store: GraphStore;
  /** Ordinal of a node token. */
  ord(name: string): number;
  /** Token of an ordinal. */
  token(ordinal: number): string;
}

const edgeKindByLetter: Record<string, number> = {
  p: EdgeKind.property,
  w: EdgeKind.weak,
  s: EdgeKind.shortcut,
  i: EdgeKind.internal,
  e: EdgeKind.element,
  h: EdgeKind.hidden,
  c: EdgeKind.context,
};

/** Build a store from a compact edge list. Node ids are 2 × (ordinal + 1) − 1 (odd, like V8 JS objects). */
export function graph(spec: string, options: TestGraphOptions = {}): TestGraph {
  const rootToken = options.root ?? 'root';
  const builder = new GraphBuilder();
  const ordinals = new Map<string, number>();
  const tokens: string[] = [];
  const node = (token: string): number => {
    let ordinal = ordinals.get(token);
    if (ordinal === undefined) {
      const isRoot = token === rootToken;
      const kind = NodeKind[options.kinds?.[token] ?? (isRoot ? 'synthetic' : 'object')];
      ordinal = builder.addNode({
        kind,
        name: options.names?.[token] ?? (isRoot ? '' : token),
        id: 2 * (tokens.length + 1) - 1,
        selfSize: options.sizes?.[token] ?? (isRoot ? 0 : 1),
      });
      ordinals.set(token, ordinal);
      tokens.push(token);
    }
    return ordinal;
  };
  const edges = spec.split(/\s+/).filter((t) => t !== '');
  node(rootToken);
  for (const item of edges) {
    const match = /^([^-\s]+)(?:-([a-z])?)?->([^-\s]+)$/.exec(item);
    if (!match) {
      node(item);
      continue;
    }
    const [, from, letter, to] = match as unknown as [string, string, string | undefined, string];
    const kind = edgeKindByLetter[letter ?? 'p'];
    if (kind === undefined) throw new Error(`unknown edge kind letter in ${item}`);
    const source = node(from);
    const target = node(to);
    const explicit = options.edgeNames?.[`${from}->${to}`];
    const name = explicit ?? (kind === EdgeKind.element || kind === EdgeKind.hidden ? target : to);
    builder.addEdge(source, kind, name, target);
  }
  const store = builder.build({ language: options.language ?? 'v8', rootOrdinal: ordinals.get(rootToken) ?? 0 });
  return {
    store,
    ord: (name) => {
      const ordinal = ordinals.get(name);
      if (ordinal === undefined) throw new Error(`no node ${name}`);
      return ordinal;
    },
    token: (ordinal) => tokens[ordinal]!,
  };
}
