// Types of bench/generate.js for the TypeScript tests that import it.
export interface GenerateOptions {
  files?: number;
  seed?: number;
}
export function generateTree(dir: string, options?: GenerateOptions): unknown;
export function generateV1Tree(dir: string, options?: GenerateOptions): unknown;
export function generateEra(era: 'stage' | 'v1', dir: string, options?: GenerateOptions): unknown;
export function markdownFiles(dir: string): string[];
