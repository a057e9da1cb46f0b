// Types of bench/generate.js for the TypeScript tests that import it.
export interface GenerateOptions {
  files?: number;
  seed?: number;
}
/** What a generated tree holds: its markdown files and its task logs, relative to `dir`. */
export interface GeneratedTree {
  dir: string;
  sizes: Record<string, number>;
  files: string[];
  taskLogs: string[];
}
export function generateTree(dir: string, options?: GenerateOptions): GeneratedTree;
export function generateV1Tree(dir: string, options?: GenerateOptions): GeneratedTree;
export function generateEra(era: 'stage' | 'v1', dir: string, options?: GenerateOptions): GeneratedTree;
export function markdownFiles(dir: string): string[];
