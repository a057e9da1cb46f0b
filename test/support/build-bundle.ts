// vitest's globalSetup: build packages/cli/dist/memlint.js before any test runs, when it is missing
// or older than a source (scripts/build.js --if-stale: ~50 ms when current, well under a second
// when not), so the tests that spawn packages/cli/bin/memlint.js run today's code through the
// bundle, as users do. (Should a source change during a run, the bin sees the bundle is stale and
// runs the sources: never old code.)
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export default function buildBundle(): void {
  const script = path.resolve(import.meta.dirname, '..', '..', 'scripts', 'build.js');
  const run = spawnSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`building the memlint bundle failed (node scripts/build.js exited ${run.status ?? run.signal})`);
}
