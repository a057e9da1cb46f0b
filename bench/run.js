// `pnpm bench [-- options]`: runs the benchmarks. Today there is one, the site benchmark
// (bench/site.js); its options pass through, e.g. `pnpm bench --files 300` for a quick smoke run.
import { runSiteBench } from './site.js';

try {
  const result = await runSiteBench(process.argv.slice(2));
  // The exit status says whether the run worked, not whether the targets passed: the result
  // carries PASS/FAIL, and a failed target is a finding to report, not a broken benchmark.
  process.exitCode = 0;
  void result;
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
}
