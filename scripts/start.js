// The quickstart's main job: lint the bundled example memory trees, show the reports, then build
// the knowledge-base site from the examples and serve it. `--no-serve` stops after the build.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serve } from './serve.js';

const root = path.resolve(import.meta.dirname, '..');
const memlint = path.join(root, 'packages', 'cli', 'bin', 'memlint.js');
const trees = [
  ['examples/apm-stage', 'a clean Stage-era memory tree (expect no findings)'],
  ['examples/apm-stage-defects', 'the same tree with seven realistic defects (see its DEFECTS.md)'],
  ['examples/apm-v1', 'a clean APM v1.0 tree, with an archived session (expect no findings)'],
  ['examples/apm-v1-defects', 'the same v1.0 tree with ten realistic defects (see its DEFECTS.md)'],
  ['examples/apm-v05', 'a clean APM v0.5 (Phase era) tree; its one empty log is a task in progress (expect no findings)'],
  ['examples/apm-v05-defects', 'the same v0.5 tree with ten realistic defects (see its DEFECTS.md)'],
  ['examples/apm-v03', 'a small APM v0.3 tree: one Memory Bank and its handover file (expect no findings)'],
  ['examples/aops', 'aops session notes, tasks and a note: one dump wrongly reports success'],
];

for (const [tree, what] of trees) {
  process.stdout.write(`\n== memlint ${tree}: ${what}\n\n`);
  const run = spawnSync(process.execPath, [memlint, tree], { cwd: root, stdio: 'inherit' });
  // Exit 1 is the linter finding problems, which the defects trees are for; 2 or a signal is a failure.
  if (run.status !== 0 && run.status !== 1) process.exit(1);
}

process.stdout.write('\n== building the site from examples/ (MEMLINT_MEMORY picks another tree)\n\n');
const astro = path.join(root, 'site', 'node_modules', 'astro', 'bin', 'astro.mjs');
const build = spawnSync(process.execPath, [astro, 'build'], { cwd: path.join(root, 'site'), stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

if (!process.argv.includes('--no-serve')) {
  const { url } = await serve(path.join(root, 'site', 'dist'), Number(process.env.PORT ?? 4321));
  process.stdout.write(`\n== the site is at ${url} (Ctrl-C to stop)\n`);
}
