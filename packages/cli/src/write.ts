import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Writes a file so that readers see the old bytes or the new ones, never a half-written file. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const mode = statSync(file).mode;
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.memlint-${process.pid}.tmp`);
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}
