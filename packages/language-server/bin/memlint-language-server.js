#!/usr/bin/env node
// The memlint language server: `memlint-language-server --stdio`. Runs the TypeScript sources with
// Node's type stripping (Node 22.18 or later).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(`memlint-language-server needs Node.js 22.18 or later; this is ${process.version}.\n`);
  process.exit(2);
}
await import('../src/main.ts');
