// What the bins of memlint's packages (the CLI's, the language server's) share before they load
// anything else: the Node version check, and whether the package's built bundle may run. Plain
// JavaScript with built-in imports only, so that an old Node gets as far as the version check.
import fs from 'node:fs';
import path from 'node:path';

/** Exits with a one-line message when this Node is older than 22.12. */
export function requireNode(name) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    process.stderr.write(`${name} needs Node.js 22.12 or later; this is ${process.version}.\n`);
    process.exit(2);
  }
}

/**
 * The package's bundle (`<pkg>/dist/<name>`), when it should run: built (dist/inputs.json lists
 * the project's files it was made from, relative to the package, and when) and none of those files
 * changed since. A listed file that is not there (an installed package ships no sources of its
 * dependencies) is not a change. MEMLINT_FROM_SOURCE=1 says never. About a millisecond.
 */
export function currentBundle(pkg, name) {
  const fromSource = process.env.MEMLINT_FROM_SOURCE;
  if (fromSource && fromSource !== '0') return null;
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
  const bundle = path.join(pkg, 'dist', name);
  return fs.statSync(bundle, { throwIfNoEntry: false }) ? bundle : null;
}
