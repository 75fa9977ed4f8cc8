// Types for compare-core.mjs (parity tooling).
export interface MismatchReport {
  readonly total: number;
  readonly counts: Record<string, number>;
  readonly examples: Record<string, unknown[]>;
}
export interface ParityReport {
  readonly file: string;
  readonly nodeCount: number;
  readonly devtoolsRows: number;
  readonly devtoolsClasses: number;
  readonly devtoolsWarnings: string[];
  readonly locationSplitClasses: { name: string; keys: number }[];
  readonly timings: Record<string, number>;
  readonly library: MismatchReport;
  readonly cli?: MismatchReport & { readonly sampled: number; readonly chains: number };
}
/** The gcsh library entry points compared (from src/ or dist/). */
export interface GcshLibrary {
  readHeapSnapshot(path: string): Promise<unknown>;
  computeDerived(store: any): unknown;
  aggregateByClass(store: any, derived: any): unknown[];
  propagateDomState?(store: any): Uint8Array | null;
}
export declare function compareFile(
  file: string,
  options: { bundlePath: string; gcsh: GcshLibrary; sampleSize?: number; largest?: number; cli?: boolean; index?: boolean; seed?: number },
): Promise<ParityReport>;
