export { main, type CliIo } from './main.ts';
export { parseOptions, parseSize, UsageError, type CliOptions } from './options.ts';
export { addMessage, toVFile } from './vfiles.ts';
