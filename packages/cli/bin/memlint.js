#!/usr/bin/env node
// memlint's sources are TypeScript run by Node's type stripping: Node 22.12 or later.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`memlint needs Node.js 22.12 or later; this is ${process.version}.\n`);
  process.exit(2);
}
const { main, ioErrorText } = await import('../src/main.ts');

// `memlint … | head`: when the reader goes away, stop quietly, as other command-line tools do.
// Any other failure to write the report is an I/O failure (exit 2), said in one line.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    if (stream === process.stdout) {
      try {
        process.stderr.write(`memlint: cannot write the report (${ioErrorText(error)})\n`);
      } catch {
        // stderr is gone too: the exit status says it.
      }
    }
    process.exit(2);
  });
}

let cwd;
try {
  cwd = process.cwd();
} catch (error) {
  process.stderr.write(`memlint: cannot use the working directory (${ioErrorText(error)}; was it removed?)\n`);
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2), { cwd, stdout: process.stdout, stderr: process.stderr });
