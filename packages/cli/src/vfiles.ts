import path from 'node:path';
import { VFile } from 'vfile';
import type { Diagnostic } from '@memlint/core';

/** memlint's diagnostics in unified's shape, so vfile reporters (and remark users' tools) read them. */
export function toVFile(filePath: string, diagnostics: readonly Diagnostic[], cwd: string): VFile {
  const file = new VFile({ path: path.relative(cwd, filePath) || filePath, cwd });
  for (const d of diagnostics) addMessage(file, d);
  return file;
}

export function addMessage(file: VFile, d: Diagnostic): void {
  const { start, end } = d.range;
  const message = file.message(d.message, {
    place: { start: { line: start.line, column: start.column, offset: start.offset }, end: { line: end.line, column: end.column, offset: end.offset } },
    ruleId: d.ruleId,
    source: 'memlint',
  });
  message.fatal = d.severity === 'error';
  message.url = d.url;
  if (d.expected) message.expected = d.expected;
  if (d.note) message.note = d.note;
}
