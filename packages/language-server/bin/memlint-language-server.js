#!/usr/bin/env node
// The memlint language server: `memlint-language-server --stdio`. Runs the built bundle,
// dist/server.cjs (scripts/build.js, which `pnpm install` runs through `prepare`), when it is there
// and no source it was built from is newer; else the TypeScript sources through Node's type
// stripping (same server, slower to start). MEMLINT_FROM_SOURCE=1 runs the sources.
import module from 'node:module';
import path from 'node:path';
import { currentBundle, requireNode } from '@memlint/core/bundle-check';

requireNode('memlint-language-server');
const bundle = currentBundle(path.join(import.meta.dirname, '..'), 'server.cjs');
if (bundle) module.createRequire(import.meta.url)(bundle);
else await import('../src/main.ts');
