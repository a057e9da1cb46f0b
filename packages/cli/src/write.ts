import { accessSync, closeSync, constants, fchmodSync, fchownSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type BigIntStats } from 'node:fs';
import path from 'node:path';
import { bytesDigest, fixTempPath, fixTempPid, ioErrorText, readFileBounded, type ReadStamp } from '@memlint/core';

/** A fixed file was written, left alone on purpose (`failure: false`), or could not be written. */
export type WriteOutcome = { written: true } | { written: false; reason: string; failure: boolean };

type NotWritten = Extract<WriteOutcome, { written: false }>;

const changed: NotWritten = { written: false, reason: 'it changed while memlint ran', failure: false };

function sameFile(stats: BigIntStats, stamp: ReadStamp): boolean {
  return stats.dev === stamp.dev && stats.ino === stamp.ino && stats.size === stamp.size && stats.mtimeNs === stamp.mtimeNs;
}

/** The file still holds exactly what was linted: same file, size and time, and the same bytes. */
function unchanged(file: string, stamp: ReadStamp): boolean {
  try {
    if (!sameFile(statSync(file, { bigint: true }), stamp)) return false;
  } catch {
    return false;
  }
  const now = readFileBounded(file, stamp.length);
  return now.kind === 'bytes' && now.bytes.byteLength === stamp.length && bytesDigest(now.bytes) === stamp.sha256;
}

/** No write permission for the user running memlint (or none at all, which root would ignore). */
function readOnly(file: string, stats: BigIntStats): boolean {
  if ((stats.mode & 0o222n) === 0n) return true;
  try {
    accessSync(file, constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.byteLength; ) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}

/**
 * Replaces a file's bytes with its fixed version, atomically: readers see the old bytes or the
 * new ones. A symbolic link is kept (its target is rewritten). The new file keeps the old one's
 * mode (and owner and group where allowed). The file is left alone when it is read-only or when
 * it is no longer what was linted; the last check is right before the rename.
 */
export function writeFixed(file: string, bytes: Uint8Array, linted: ReadStamp | undefined): WriteOutcome {
  const ready = beforeWriting(file, linted);
  if (!ready.written) return ready;
  const { target, stats, linted: stamp } = ready;
  const temp = fixTempPath(target);
  let fd: number | undefined;
  let step = 'cannot create a temporary file next to it';
  try {
    fd = openTemp(temp);
    try {
      fchownSync(fd, Number(stats.uid), Number(stats.gid));
    } catch {
      // Only root (or a member of the group) may give the file its old owner back.
    }
    step = 'cannot write the fixed version';
    fchmodSync(fd, Number(stats.mode & 0o7777n));
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (!unchanged(target, stamp)) {
      unlinkSync(temp);
      return changed;
    }
    step = `cannot replace it with the fixed version`;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(temp);
    return { written: false, reason: `${step} (${ioErrorText(error)})`, failure: true };
  }
  syncDirectory(path.dirname(target));
  return { written: true };
}

type Ready = { written: true; target: string; stats: BigIntStats; linted: ReadStamp };

/** The checks made before a fixed file is written: read from disk, still the same file, writable. */
function beforeWriting(file: string, linted: ReadStamp | undefined): Ready | NotWritten {
  if (!linted) return { written: false, reason: 'memlint did not read it from disk', failure: false };
  let target: string;
  let stats: BigIntStats;
  try {
    target = realpathSync(file);
    stats = statSync(target, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return changed;
    return { written: false, reason: `cannot look at it again (${ioErrorText(error)})`, failure: true };
  }
  if (!sameFile(stats, linted)) return changed;
  if (readOnly(target, stats)) return { written: false, reason: 'the file is read-only', failure: false };
  return { written: true, target, stats, linted };
}

/** Whether `writeFixed` would write the file now (`--fix-dry-run`): the same checks, nothing written. */
export function wouldWrite(file: string, linted: ReadStamp | undefined): WriteOutcome {
  const ready = beforeWriting(file, linted);
  return ready.written ? { written: true } : ready;
}

/** Creates the temporary file, never through a link; one left by an earlier process with this pid is stale. */
function openTemp(temp: string): number {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
  try {
    return openSync(temp, flags, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    unlinkSync(temp);
    return openSync(temp, flags, 0o600);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed or gone: nothing to keep.
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Never created, or already gone.
  }
}

/** Makes a rename durable; file systems that cannot sync a directory are fine without it. */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary files of `--fix` runs that died (killed, or the machine went down) before
 * renaming them: only names of memlint's exact pattern, only when their process is gone.
 */
export function removeStaleTemps(temps: readonly string[]): { removed: string[]; failed: { path: string; reason: string }[] } {
  const removed: string[] = [];
  const failed: { path: string; reason: string }[] = [];
  for (const temp of temps) {
    const pid = fixTempPid(path.basename(temp));
    if (pid === null || pid === process.pid || alive(pid)) continue;
    try {
      unlinkSync(temp);
      removed.push(temp);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') failed.push({ path: temp, reason: ioErrorText(error) });
    }
  }
  return { removed, failed };
}
