#!/usr/bin/env node
// memlint's sources are TypeScript run by Node's type stripping: Node 22.12 or later.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`memlint needs Node.js 22.12 or later; this is ${process.version}.\n`);
  process.exit(2);
}
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
