import { execFileSync } from 'node:child_process';

/** When git first and last saw a file: the author dates of the oldest and newest commits that touched it (ISO 8601, UTC). */
export interface FileCommits {
  first: string;
  last: string;
}

export interface GitDatesOptions {
  /** The git executable (default `git` on the PATH). */
  command?: string;
}

// Separates commits in the log; a file name cannot hold it only by convention, so the parse also splits on NUL.
const RECORD = '\x1e';

/**
 * The commit dates of every file below `dir` that git tracks, keyed by its path relative to `dir`
 * (`/`-separated), from one `git log` over the folder. null when git is not installed, `dir` is
 * not in a repository, or the log cannot be read: a tree outside git simply has no dates.
 */
export function gitDates(dir: string, options: GitDatesOptions = {}): Map<string, FileCommits> | null {
  let out: string;
  try {
    out = execFileSync(
      options.command ?? 'git',
      // -z: names unquoted and NUL-ended; --relative: names relative to dir; --no-renames: a renamed file starts again.
      ['log', `--format=${RECORD}%aI`, '--name-only', '-z', '--relative', '--no-renames', '--', '.'],
      { cwd: dir, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } },
    );
  } catch {
    return null;
  }
  return parseGitLog(out);
}

const toUtc = (date: string): string | null => {
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

/** Reads the output of `git log --format=<RS>%aI --name-only -z` (newest commit first). */
export function parseGitLog(out: string): Map<string, FileCommits> {
  const dates = new Map<string, FileCommits>();
  for (const record of out.split(RECORD)) {
    const [date, ...names] = record.split('\0');
    const when = date ? toUtc(date.trim()) : null;
    if (!when) continue;
    for (const raw of names) {
      const name = raw.replace(/^\n/, '');
      if (!name) continue;
      const seen = dates.get(name);
      // Newest first: the first date seen is the last commit; each older one moves the first commit back.
      if (!seen) dates.set(name, { first: when, last: when });
      else {
        if (when < seen.first) seen.first = when;
        if (when > seen.last) seen.last = when;
      }
    }
  }
  return dates;
}
