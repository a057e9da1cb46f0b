// A progress line on stderr for runs longer than a second: only on a terminal, never in a pipe,
// a file or CI. One line, rewritten in place (`\r`), cleared before the report is printed.
import type { Writable } from 'node:stream';

/** Whether a progress line may be drawn: stderr is a terminal, not a dumb one, and this is not CI. */
export function progressWanted(stderr: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (stderr.isTTY !== true) return false;
  if (env.TERM === 'dumb') return false;
  const ci = env.CI;
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  return true;
}

export interface Progress {
  /** Says what the run is doing; drawn once the run is a second old, at most every 100 ms. */
  update(text: string): void;
  /** Clears the line, when one was drawn. */
  done(): void;
}

const none: Progress = { update() {}, done() {} };

/**
 * The progress line of a run that started now. memlint's work is synchronous, so the line is
 * drawn from `update` calls between steps (files read, each memory root linted), never by a timer.
 */
export function startProgress(stderr: Writable & { isTTY?: boolean; columns?: number }, env: NodeJS.ProcessEnv, now: () => number = performance.now.bind(performance)): Progress {
  if (!progressWanted(stderr, env)) return none;
  const started = now();
  // After a second; MEMLINT_PROGRESS_DELAY_MS sets another delay (the tests use 0: a run's length is not theirs to decide).
  const delay = /^\d+$/.test(env.MEMLINT_PROGRESS_DELAY_MS ?? '') ? Number(env.MEMLINT_PROGRESS_DELAY_MS) : 1000;
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update(text) {
      const t = now();
      if (t - started < delay || t - drawnAt < 100) return;
      drawnAt = t;
      drawn = true;
      const width = Math.max(20, (stderr.columns || 80) - 1);
      const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
      stderr.write(`\r${line}\u001b[K`);
    },
    done() {
      if (drawn) stderr.write('\r\u001b[K');
      drawn = false;
    },
  };
}
