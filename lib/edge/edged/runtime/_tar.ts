/**
 * A minimal ustar writer: enough to hand a root filesystem (directories, files, symlinks) to the engine's image
 * import without a `tar` binary.
 *
 * @module
 */

/** One archive member. Paths are relative (`bin/sh`); directories need no trailing slash. */
export type TarEntry =
  | { type: "dir"; path: string; mode: number }
  | { type: "file"; path: string; mode: number; data: Uint8Array }
  | { type: "symlink"; path: string; target: string };

const BLOCK = 512;
const encoder = new TextEncoder();

/**
 * Builds a tar archive in memory.
 *
 * @throws RangeError when a path or link target does not fit ustar's name fields
 */
export function buildTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    const data = e.type === "file" ? e.data : new Uint8Array(0);
    parts.push(header(e, data.length));
    if (data.length) {
      parts.push(data);
      const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  parts.push(new Uint8Array(BLOCK * 2));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function header(e: TarEntry, size: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const name = e.type === "dir" ? `${e.path}/` : e.path;
  let prefix = "";
  let short = name;
  if (encoder.encode(name).length > 100) {
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    short = name.slice(cut + 1);
    if (cut < 0 || encoder.encode(short).length > 100 || encoder.encode(prefix).length > 155) {
      throw new RangeError(`Cannot add "${e.path}" to tar: path is too long for ustar`);
    }
  }
  const mode = e.type === "symlink" ? 0o777 : e.mode;
  put(h, 0, 100, short);
  put(h, 100, 8, octal(mode, 7));
  put(h, 108, 8, octal(0, 7));
  put(h, 116, 8, octal(0, 7));
  put(h, 124, 12, octal(size, 11));
  put(h, 136, 12, octal(0, 11));
  h.fill(0x20, 148, 156);
  put(h, 156, 1, e.type === "dir" ? "5" : e.type === "symlink" ? "2" : "0");
  if (e.type === "symlink") {
    if (encoder.encode(e.target).length > 100) throw new RangeError(`Cannot add "${e.path}" to tar: link target is too long`);
    put(h, 157, 100, e.target);
  }
  put(h, 257, 6, "ustar");
  put(h, 263, 2, "00");
  put(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  put(h, 148, 8, `${octal(sum, 6)}\0 `);
  return h;
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width, "0");
}

function put(h: Uint8Array, at: number, len: number, s: string): void {
  h.set(encoder.encode(s).subarray(0, len), at);
}
