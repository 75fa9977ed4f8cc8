// Types for chromium-snapshot.mjs (parity tooling).
export declare const parityPage: string;
export declare const heavyPage: string;
export declare function writeChromiumSnapshot(outPath: string, options?: { html?: string; chromium?: string }): Promise<string>;
