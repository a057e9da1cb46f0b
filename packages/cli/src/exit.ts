import type { Writable } from 'node:stream';

export interface RunCounts {
  /** Something went unchecked or unwritten (exit 2 whatever the findings). */
  failed: boolean;
  errors: number;
  /** Every warning found, shown or not (`--quiet` hides them; `--frail` and `--max-warnings` still count them, as remark's and ESLint's do). */
  warnings: number;
}

export interface WarningLimits {
  maxWarnings?: number;
  frail: boolean;
}

/** Whether the warnings alone fail the run. */
export function warningsFail(warnings: number, limits: WarningLimits): boolean {
  if (warnings === 0) return false;
  return limits.frail || (limits.maxWarnings !== undefined && warnings > limits.maxWarnings);
}

/**
 * The exit status of a lint run: 2 when something went unchecked or unwritten, 1 for errors or
 * for warnings that `--frail` or `--max-warnings` do not allow, else 0. Says on stderr why
 * warnings failed the run.
 */
export function exitStatus(counts: RunCounts, limits: WarningLimits, stderr?: Writable): number {
  if (counts.failed) return 2;
  if (counts.errors > 0) return 1;
  if (!warningsFail(counts.warnings, limits)) return 0;
  const n = `${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}`;
  if (limits.frail) stderr?.write(`memlint: ${n}, and --frail makes warnings fail the run\n`);
  else stderr?.write(`memlint: ${n}, more than --max-warnings ${limits.maxWarnings} allows\n`);
  return 1;
}
