export { buildHistory, type HistoryOptions } from './history.ts';
export { historyOf, memlintLoader, resolveMemory, type MemlintLoaderOptions } from './loader.ts';
export { renderMemoryMarkdown } from './render.ts';
export * from './schemas.ts';
