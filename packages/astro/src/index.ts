export { buildHistory, type HistoryOptions } from './history.ts';
export { historyOf, memlintLoader, resolveMemory, type MemlintLoaderOptions } from './loader.ts';
export { renderMemoryMarkdown } from './render.ts';
export * from './schemas.ts';
export * from './dashboard-schemas.ts';
export { gitDates, parseGitLog, type FileCommits } from './git.ts';
export { ruleTextForReaders } from './rule-text.ts';
