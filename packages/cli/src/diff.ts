import path from 'node:path';
// Unified diffs (`--fix-dry-run`): `--- a/path` / `+++ b/path`, hunks with three lines of context,
// as `diff -u` and `git diff` print them, so `git apply` and `patch -p1` take them as they are.

/** A text's lines, each with its own line end (`\n`, or `\r\n` kept as it is); the last may have none. */
function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The shortest edit script between two line lists (Myers, O((N+M)·D)), common ends trimmed first. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) endA--, endB--;
  const x0 = a.slice(start, endA);
  const y0 = b.slice(start, endB);
  const n = x0.length;
  const m = y0.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && x0[x] === y0[y]) x++, y++;
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const middle: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) middle.push({ kind: ' ', line: x0[--x]! }), y--;
    if (d === 0) break;
    if (x === prevX) middle.push({ kind: '+', line: y0[--y]! });
    else middle.push({ kind: '-', line: x0[--x]! });
  }
  middle.reverse();
  return [...a.slice(0, start).map((line) => ({ kind: ' ' as const, line })), ...middle, ...a.slice(endA).map((line) => ({ kind: ' ' as const, line }))];
}

/** A path for a diff header: as git writes it, C-quoted when it holds a quote, a backslash or a control character. */
function headerPath(prefix: string, p: string): string {
  const full = `${prefix}${p}`;
  if (!/["\\\u0000-\u001f\u007f]/.test(full)) return full;
  const named: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\u0007': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
  return `"${full.replace(/["\\\u0000-\u001f\u007f]/g, (ch) => named[ch] ?? `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`)}"`;
}

const NO_EOL = '\\ No newline at end of file\n';

/** One file's unified diff (`relPath` with `/` separators), or '' when the texts are equal. */
export function unifiedDiff(relPath: string, before: string, after: string, context = 3): string {
  if (before === after) return '';
  const ops = editScript(splitLines(before), splitLines(after));
  const changes = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  let out = `${headerPath('--- a/', relPath)}\n${headerPath('+++ b/', relPath)}\n`;
  // Hunks: runs of changes with up to 2·context unchanged lines between them, each padded with context.
  let i = 0;
  while (i < changes.length) {
    let j = i;
    while (j + 1 < changes.length && changes[j + 1]! - changes[j]! <= 2 * context + 1) j++;
    const from = Math.max(0, changes[i]! - context);
    const to = Math.min(ops.length, changes[j]! + context + 1);
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < from; k++) {
      if (ops[k]!.kind !== '+') oldStart++;
      if (ops[k]!.kind !== '-') newStart++;
    }
    const hunk = ops.slice(from, to);
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);
    out += `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`;
    for (const op of hunk) out += `${op.kind}${op.line}${op.line.endsWith('\n') ? '' : `\n${NO_EOL}`}`;
    i = j + 1;
  }
  return out;
}

/** What `--fix` would write to a document's file, as a unified diff against what is there (a BOM shows as the first line's first character, CRLF as it is). */
export function fixDiff(original: { path: string; source: { text: string; hasBom: boolean } }, bytes: Uint8Array, cwd: string): string {
  const before = `${original.source.hasBom ? '\ufeff' : ''}${original.source.text}`;
  const after = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return unifiedDiff(path.relative(cwd, original.path).split(path.sep).join('/'), before, after);
}
