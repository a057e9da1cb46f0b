import { parseArgs } from 'node:util';
import { ConfigError, dialectIds, parseByteSize, type DialectId, type SeveritySetting } from '@memlint/core';

export const reportFormats = ['pretty', 'json', 'github', 'sarif', 'junit'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface CliOptions {
  command: 'lint' | 'schema' | 'rules' | 'explain-dialect' | 'help' | 'version';
  paths: string[];
  report: ReportFormat;
  dialect?: DialectId;
  rules: Record<string, SeveritySetting>;
  maxFileSize?: number;
  quiet: boolean;
  verbose: boolean;
  fix: boolean;
  profile?: string;
  /** A configuration file to use (false: none). */
  config?: string | false;
  color: boolean | undefined;
  docsBase?: string;
  /** `--max-warnings N`: more than N warnings make the exit status 1 (as ESLint's). */
  maxWarnings?: number;
  /** `--frail` (remark's name): any warning makes the exit status 1. */
  frail: boolean;
  /** `--fix-dry-run`: print what `--fix` would write as a unified diff, write nothing. */
  fixDryRun: boolean;
  /** `--watch`: lint, then lint again on every change, printing the findings that came and went. */
  watch: boolean;
  /** `--cache`: reuse what earlier runs parsed and found; `--cache-location`: where the cache file is. */
  cache?: boolean;
  cacheLocation?: string;
}

export class UsageError extends Error {}

/** `2MB`, `500k`, `1048576` → bytes. */
export function parseSize(value: string): number {
  const bytes = parseByteSize(value);
  if (bytes === null) throw new UsageError(`--max-file-size: expected a size such as 2MB or 500KB, got "${value}"`);
  return bytes;
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];

const OPPOSITES: [string, string, string?][] = [
  ['config', 'no-config'],
  ['color', 'no-color'],
  ['fix', 'fix-dry-run'],
  ['report', 'format', 'are one option (--format is its other name)'],
];

/** Options that contradict each other, or one given twice with different values, are usage errors: no silent winner. */
function checkConflicts(tokens: readonly Token[]): void {
  const given = new Map<string, { raw: string; value: string | undefined; index: number }[]>();
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const list = given.get(t.name) ?? [];
    list.push({ raw: t.rawName, value: t.value, index: t.index });
    given.set(t.name, list);
  }
  for (const pair of OPPOSITES) {
    const both = pair.slice(0, 2).map((name) => given.get(name!)?.[0]);
    if (!both[0] || !both[1]) continue;
    const [first, second] = both.sort((x, y) => x!.index - y!.index);
    throw new UsageError(`${first!.raw} and ${second!.raw} ${pair[2] ?? 'contradict each other'}: give one`);
  }
  for (const [name, list] of given) {
    if (name === 'rule') continue; // repeatable
    const values = [...new Set(list.map((o) => o.value))];
    if (values.length > 1) throw new UsageError(`--${name} given more than once (${values.map((v) => `"${v}"`).join(', ')}): give it once`);
  }
}

export function parseOptions(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      tokens: true,
      options: {
        report: { type: 'string', short: 'r' },
        format: { type: 'string', short: 'f' },
        dialect: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'max-file-size': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        verbose: { type: 'boolean' },
        fix: { type: 'boolean' },
        profile: { type: 'string' },
        config: { type: 'string', short: 'c' },
        'no-config': { type: 'boolean' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'docs-base': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        'explain-dialect': { type: 'boolean' },
        'max-warnings': { type: 'string' },
        frail: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        watch: { type: 'boolean' },
        cache: { type: 'boolean' },
        'cache-location': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals, tokens } = parsed;
  checkConflicts(tokens);
  let command: CliOptions['command'] = 'lint';
  let paths = positionals;
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  else if (values['explain-dialect']) command = 'explain-dialect';
  else if (positionals[0] === 'schema' || positionals[0] === 'rules') {
    command = positionals[0];
    paths = positionals.slice(1);
  }
  const reportName = values.format !== undefined ? '--format' : '--report';
  const report = (values.report ?? values.format ?? 'pretty') as ReportFormat;
  if (!reportFormats.includes(report)) throw new UsageError(`${reportName}: expected one of ${reportFormats.join(', ')}, got "${report}"`);
  if (command === 'lint') checkLintModes(values, report);
  else for (const name of LINT_ONLY) if (values[name] !== undefined) throw new UsageError(`--${name} applies to a lint run only`);
  if (command === 'explain-dialect' && report !== 'pretty' && report !== 'json') {
    throw new UsageError(`memlint --explain-dialect: --report must be pretty or json, got "${report}"`);
  }
  if (command === 'rules') {
    if (report !== 'pretty' && report !== 'json') throw new UsageError(`memlint rules: --report must be pretty or json, got "${report}"`);
    if (paths.length > 0) throw new UsageError(`memlint rules takes no paths, got "${paths[0]}"`);
  }
  if (values.dialect && !dialectIds.includes(values.dialect as DialectId)) {
    throw new UsageError(`--dialect: expected one of ${dialectIds.filter((d) => d !== 'unknown').join(', ')}, got "${values.dialect}"`);
  }
  const rules: Record<string, SeveritySetting> = {};
  for (const entry of values.rule ?? []) {
    const m = /^([\w-]+)\s*[=:]\s*(off|warning|warn|error)$/.exec(entry.trim());
    if (!m) throw new UsageError(`--rule: expected <rule-id>=off|warning|error, got "${entry}"`);
    rules[m[1]!] = m[2] === 'warn' ? 'warning' : (m[2] as SeveritySetting);
  }
  return {
    command,
    paths: (command === 'lint' || command === 'explain-dialect') && paths.length === 0 ? ['.'] : paths,
    report,
    ...(values.dialect ? { dialect: values.dialect as DialectId } : {}),
    rules,
    ...(values['max-file-size'] ? { maxFileSize: parseSize(values['max-file-size']) } : {}),
    quiet: values.quiet ?? false,
    verbose: values.verbose ?? false,
    fix: values.fix ?? false,
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values['no-config'] ? { config: false as const } : values.config ? { config: values.config } : {}),
    color: values['no-color'] ? false : values.color,
    ...(values['docs-base'] ? { docsBase: values['docs-base'] } : {}),
    ...(values['max-warnings'] !== undefined ? { maxWarnings: parseMaxWarnings(values['max-warnings']) } : {}),
    frail: values.frail ?? false,
    fixDryRun: values['fix-dry-run'] ?? false,
    watch: values.watch ?? false,
    ...(values.cache || values['cache-location'] !== undefined ? { cache: true } : {}),
    ...(values['cache-location'] !== undefined ? { cacheLocation: cacheLocation(values['cache-location']) } : {}),
  };
}

/** `--cache-location`: a file, or a directory (ending in `/`, or existing) to hold `cache.v8`. */
function cacheLocation(value: string): string {
  if (value.trim() === '') throw new UsageError('--cache-location: expected a file or directory path, got ""');
  return value;
}

/** `--max-warnings`: a whole number of warnings allowed, 0 or more. */
export function parseMaxWarnings(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--max-warnings: expected a whole number of warnings (0 or more), got "${value}"`);
  return Number(value.trim());
}

const LINT_ONLY = ['max-warnings', 'frail', 'fix-dry-run', 'watch'] as const;

/** The run modes that cannot go together: each says why. */
function checkLintModes(values: Record<string, string | boolean | (string | boolean)[] | undefined>, report: ReportFormat): void {
  if (values['fix-dry-run'] && report !== 'pretty') {
    throw new UsageError(`--fix-dry-run prints a diff of what --fix would write: --report ${report} does not apply to it`);
  }
  if (values.watch) {
    if (values.fix) throw new UsageError('--watch and --fix do not go together: --fix would rewrite the files it watches');
    if (values['fix-dry-run']) throw new UsageError('--watch and --fix-dry-run do not go together');
    if (report !== 'pretty') throw new UsageError(`--watch prints the findings that come and go as text: --report ${report} does not apply to it`);
  }
}

export { ConfigError };
