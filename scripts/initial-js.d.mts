// Types of scripts/initial-js.mjs, for the e2e tests that import it.
export declare const INITIAL_JS_BUDGET: number;
export declare function gzipBytes(file: string): number;
export declare function staticClosure(outDir: string, entries: readonly string[]): string[];
export declare function initialJs(outDir: string): { files: { file: string; gzipBytes: number }[]; gzipBytes: number };
