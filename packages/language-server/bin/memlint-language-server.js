#!/usr/bin/env node
// The memlint language server: `memlint-language-server --stdio`. Runs the built bundle,
// dist/server.cjs (scripts/build.js, which `pnpm install` runs through `prepare`), when it is there
// and no source it was built from is newer; else the TypeScript sources through Node's type
// stripping (same server, slower to start). MEMLINT_FROM_SOURCE=1 runs the sources.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`memlint-language-server needs Node.js 22.12 or later; this is ${process.version}.\n`);
  process.exit(2);
}

/** The bundle, when built and no file it was made from (dist/inputs.json, relative to the package) changed since. */
function currentBundle() {
  const fromSource = process.env.MEMLINT_FROM_SOURCE;
  if (fromSource && fromSource !== '0') return null;
  const pkg = path.join(import.meta.dirname, '..');
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(pkg, 'dist', 'inputs.json'), 'utf8'));
  } catch {
    return null;
  }
  for (const file of recorded.inputs) {
    const stats = fs.statSync(path.join(pkg, file), { throwIfNoEntry: false });
    if (stats && stats.mtimeMs > recorded.builtAt) return null;
  }
  const bundle = path.join(pkg, 'dist', 'server.cjs');
  return fs.statSync(bundle, { throwIfNoEntry: false }) ? bundle : null;
}

const bundle = currentBundle();
if (bundle) module.createRequire(import.meta.url)(bundle);
else await import('../src/main.ts');
