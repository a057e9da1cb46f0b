// `memlint new <kind> [path]`: the next handoff, task log or reflection of a memory tree, written as
// a skeleton to fill in (never over a file with something in it), its path printed.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, loadTreeAt, logKinds, nextLog, resolveProfile, SkeletonError, type LogKind, type Skeleton } from '@memlint/core';
import { settingsFor } from './agent.ts';
import type { CliIo } from './main.ts';

export const NEW_HELP = `Usage: memlint new <kind> [path] [--agent <id>] [--task <id>] [--stdout]

Writes the skeleton of the next log of a memory tree and prints its path: the numbers from the
handoff chain, the stage and task from the plan, the frontmatter and sections the tree's format
requires, and <fill: …> placeholders for the rest. The tree is the one the path (default .) is
in or holds.

Kinds: handoff (--agent, or manager), task-log (default: the next planned task without a log),
reflection (an aops session note; --task: the task the next session resumes).

  --agent <id>   the agent writing it (backend-agent, Agent_Backend, manager)
  --task <id>    the task (2.1)
  --stdout       print the skeleton instead of writing it
`;

/** `task`, `task-log`, `handover` … → the kind. */
export function logKind(word: string | undefined): LogKind | null {
  const w = (word ?? '').toLowerCase().replace(/[\s_]+/g, '-');
  if (w === 'handoff' || w === 'handover') return 'handoff';
  if (w === 'task-log' || w === 'task' || w === 'log' || w === 'memory-log') return 'task-log';
  if (w === 'reflection' || w === 'session') return 'reflection';
  return null;
}

/** Writes a skeleton where it belongs: a new file, an empty pre-created log, or the end of a Memory Bank. Throws InputError when a file is in the way. */
export function writeSkeleton(skeleton: Skeleton): void {
  mkdirSync(path.dirname(skeleton.path), { recursive: true });
  if (skeleton.mode === 'append') {
    appendFileSync(skeleton.path, skeleton.text);
    return;
  }
  let existing: string | null = null;
  try {
    existing = readFileSync(skeleton.path, 'utf8');
  } catch {
    // Not there: the usual case.
  }
  if (existing !== null && existing.trim() !== '') throw new InputError('already exists: memlint never overwrites a log', skeleton.path);
  writeFileSync(skeleton.path, skeleton.text, { flag: existing === null ? 'wx' : 'w' });
}

export function runNew(argv: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { agent: { type: 'string' }, task: { type: 'string' }, stdout: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr.write(`memlint new: ${(error as Error).message}\n${NEW_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(NEW_HELP);
    return 0;
  }
  const [word, target = '.', extra] = parsed.positionals;
  const kind = logKind(word);
  if (!kind || extra !== undefined) {
    io.stderr.write(`memlint new: ${!kind ? `expected a kind (${logKinds.join(', ')})${word ? `, got "${word}"` : ''}` : `one path at most, got "${extra}"`}\n${NEW_HELP}`);
    return 2;
  }
  const abs = path.resolve(io.cwd, target);
  try {
    const settings = settingsFor(abs);
    const ws = loadTreeAt(abs, settings.load);
    const profile = resolveProfile(settings.config.aops?.profile ?? '2') ?? undefined;
    const skeleton = nextLog(ws, { kind, ...(parsed.values.agent ? { agent: parsed.values.agent } : {}), ...(parsed.values.task ? { task: parsed.values.task } : {}), ...(profile ? { profile } : {}) });
    if (parsed.values.stdout) {
      io.stdout.write(skeleton.text);
      return 0;
    }
    writeSkeleton(skeleton);
    io.stdout.write(`${path.relative(io.cwd, skeleton.path) || skeleton.path}\n`);
    const lines = [...new Set(skeleton.placeholders.map((p) => p.line))];
    io.stderr.write(
      `memlint new: ${skeleton.mode === 'append' ? 'appended an entry to' : 'wrote'} ${path.relative(io.cwd, skeleton.path)}; fill its ${skeleton.placeholders.length} <fill: …> placeholder${skeleton.placeholders.length === 1 ? '' : 's'}${skeleton.mode === 'append' ? '' : ` (line${lines.length === 1 ? '' : 's'} ${lines.join(', ')})`}\n${skeleton.notes.map((n) => `  ${n}\n`).join('')}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof SkeletonError) {
      io.stderr.write(`memlint new: ${error.message}\n`);
      return 2;
    }
    if (error instanceof InputError) {
      io.stderr.write(`memlint new: ${error.path ? `${path.relative(io.cwd, error.path) || error.path}: ` : ''}${error.reason}\n`);
      return 2;
    }
    throw error;
  }
}
