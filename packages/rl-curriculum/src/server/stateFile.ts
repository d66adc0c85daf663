import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ProtocolError } from './protocol.js';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Temporary file of one snapshot write: next to the state file, named after it, the pid and the time. */
export function tempName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
}

/**
 * Atomic write (temporary file + fsync + rename): a crash never leaves half a snapshot, and a failed write
 * removes its temporary file. Any failure is an `E_IO` protocol error naming the file (never an fs exception).
 */
export function writeAtomic(path: string, data: string): void {
  const tmp = tempName(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    writeSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {}
    }
    try {
      unlinkSync(tmp);
    } catch {}
    throw new ProtocolError(
      'E_IO',
      'io',
      `cannot write the state file ${path}: ${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`.trim(),
    );
  }
}

/**
 * Removes the temporary files that interrupted snapshots of `path` left behind (a process killed between
 * writing and renaming): `.<name>.<pid>.<ms>.tmp`, and the `.<ms>.<pid>.tmp` names of earlier versions.
 * Returns the removed paths; a missing directory removes nothing.
 */
export function cleanStaleTemps(path: string): string[] {
  const dir = dirname(path);
  const ours = new RegExp(`^\\.${escapeRe(basename(path))}\\.\\d+\\.\\d+\\.tmp$`);
  const legacy = /^\.\d{13}\.\d+\.tmp$/;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const n of names) {
    if (!ours.test(n) && !legacy.test(n)) continue;
    try {
      unlinkSync(join(dir, n));
      removed.push(join(dir, n));
    } catch {}
  }
  return removed;
}
