/**
 * Whole-file writes that a crash cannot leave half done: write `<path>.tmp`, fsync it, rename it over `path`, fsync
 * the directory so the rename itself is on disk. Readers then see the old file or the new one, never a mix. Files
 * are written with mode 0600.
 *
 * @module
 */
import { open, rename } from "node:fs/promises";
import { openPrivateFile } from "./private_fs.ts";
import { dirname } from "node:path";

/** Makes the directory's entries (renames, new files) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `path` with `data` atomically, through `<path>.tmp`.
 *
 * @param options.fsync false skips the fsyncs (tests only): the rename stays atomic, but not durable on power loss
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: { fsync: boolean },
): Promise<void> {
  const temp = `${path}.tmp`;
  // 0600 whatever the umask: snapshots and journals hold Secrets
  const handle = await openPrivateFile(temp, "w");
  try {
    await handle.writeFile(data);
    if (options.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  if (options.fsync) await syncDir(dirname(path));
}
