// `pnpm bench [-- options]`: runs the benchmarks. Today there is one, the site benchmark
// (bench/site.js); its options pass through, e.g. `pnpm bench --files 300` for a quick smoke run.
// The exit status says whether the run worked, not whether the targets passed: the table and
// the JSON carry PASS/FAIL, and a missed target is a finding, not a broken benchmark.
import { runSiteBench } from './site.js';

try {
  await runSiteBench(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
}
