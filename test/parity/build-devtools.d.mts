// Types for build-devtools.mjs (parity tooling).
export declare const devtoolsVersion: string;
export declare const repoRoot: string;
export declare const workDir: string;
export declare const bundlePath: string;
export declare function buildDevtoolsBundle(options?: { force?: boolean }): Promise<string>;
