// The quickstart's main job: lint the bundled example memory trees and show the reports.
// (The knowledge-base site joins this job when it is built: see the README.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const memlint = path.join(root, 'packages', 'cli', 'bin', 'memlint.js');
const trees = [
  ['examples/apm-stage', 'a clean Stage-era memory tree (expect no findings)'],
  ['examples/apm-stage-defects', 'the same tree with seven realistic defects (see its DEFECTS.md)'],
  ['examples/aops', 'aops session notes, tasks and a note: one dump wrongly reports success'],
];

let failed = false;
for (const [tree, what] of trees) {
  process.stdout.write(`\n== memlint ${tree}: ${what}\n\n`);
  const run = spawnSync(process.execPath, [memlint, tree], { cwd: root, stdio: 'inherit' });
  // Exit 1 is the linter finding problems, which the defects tree is for; 2 or a signal is a failure.
  if (run.status !== 0 && run.status !== 1) failed = true;
}
process.exitCode = failed ? 1 : 0;
