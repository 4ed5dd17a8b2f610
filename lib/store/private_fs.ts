/**
 * Private files and folders: everything under a dataDir (store, journals, keys, tokens, pod volumes) holds Secrets,
 * so files are 0600 and folders 0700 whatever the umask. Modes are given when a file or folder is created AND set
 * again with chmod, because `mode` on open/mkdir only applies to new entries and an older version (or another tool)
 * may have left looser bits behind.
 *
 * @module
 */
import { chmodSync, lstatSync, mkdirSync } from "node:fs";
import { chmod, lstat, mkdir, open, readdir } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../log/index.ts";

/** Mode of every file under a dataDir. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of every folder under a dataDir. */
export const PRIVATE_DIR_MODE = 0o700;

/** Bits no private entry may have: any group or other permission. */
const OPEN_BITS = 0o077;

/**
 * Makes `dir` (and missing parents) exist with mode 0700; an existing `dir` with group or other bits is tightened.
 * Parents that already exist are left alone: they may be `/var/lib` or the user's home.
 *
 * @returns true when an existing folder had looser bits and was tightened
 * @throws Error naming the folder when it cannot be created or changed
 */
export async function ensurePrivateDir(dir: string): Promise<boolean> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const st = await lstat(dir);
    if (!st.isDirectory()) throw new Error("not a directory");
    if ((st.mode & 0o777) === PRIVATE_DIR_MODE) return false;
    await chmod(dir, PRIVATE_DIR_MODE);
    return (st.mode & OPEN_BITS) !== 0;
  } catch (err) {
    throw new Error(`Cannot prepare private folder "${dir}": ${(err as Error).message}`, { cause: err });
  }
}

/** {@link ensurePrivateDir} for synchronous start-up code. */
export function ensurePrivateDirSync(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    const st = lstatSync(dir);
    if (!st.isDirectory()) throw new Error("not a directory");
    if ((st.mode & 0o777) === PRIVATE_DIR_MODE) return false;
    chmodSync(dir, PRIVATE_DIR_MODE);
    return (st.mode & OPEN_BITS) !== 0;
  } catch (err) {
    throw new Error(`Cannot prepare private folder "${dir}": ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Opens `path` for writing (`flags` as for `fs.open`, "w" by default) with mode 0600, also when the file already
 * existed with looser bits.
 */
export async function openPrivateFile(path: string, flags = "w"): Promise<FileHandle> {
  const handle = await open(path, flags, PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

/** Options of {@link tightenPrivateTree}. */
export type TightenOptions = {
  /**
   * Relative paths (with `/`) left as they are, with everything below them. Edged's pod volumes use it: the folders
   * bind-mounted into containers must stay readable by container users.
   */
  keep?: (relPath: string) => boolean;
  /** Deepest level walked, to bound the work. @default 8 */
  maxDepth?: number;
};

/**
 * Removes group and other bits from every file and folder under `root` (root included, symlinks skipped), for
 * dataDirs written by older versions with the umask's modes.
 *
 * @returns how many entries were changed
 */
export async function tightenPrivateTree(root: string, options: TightenOptions = {}): Promise<number> {
  const maxDepth = options.maxDepth ?? 8;
  let changed = (await ensurePrivateDir(root)) ? 1 : 0;
  const walk = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > maxDepth) return;
    // a folder removed while we walk (a pod cleaned up) has nothing left to tighten
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const full = join(dir, name);
      const childRel = rel ? `${rel}/${name}` : name;
      const st = await lstat(full).catch(() => undefined);
      if (!st || st.isSymbolicLink() || options.keep?.(childRel)) continue;
      if ((st.mode & OPEN_BITS) !== 0) {
        await chmod(full, st.isDirectory() ? PRIVATE_DIR_MODE : st.mode & 0o700);
        changed++;
      }
      if (st.isDirectory()) await walk(full, childRel, depth + 1);
    }
  };
  await walk(root, "", 1);
  return changed;
}

/**
 * Prepares a dataDir at start: creates it 0700, and tightens whatever an older version left readable by other users
 * (one warning line with the count).
 *
 * @returns how many entries were changed
 */
export async function preparePrivateDataDir(dataDir: string, log: Logger, options: TightenOptions = {}): Promise<number> {
  const changed = await tightenPrivateTree(dataDir, options);
  if (changed) log.warn("dataDir had files or folders other users could reach; made them private (0600 files, 0700 folders)", { dataDir, changed });
  return changed;
}
