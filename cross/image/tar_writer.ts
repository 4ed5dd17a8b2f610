/**
 * A small streaming tar (POSIX ustar, with PAX headers for long names) writer: enough to write image layers, the
 * image archive itself and the armv6 bundle's payload without a tar program, with fixed owners and times so the same
 * input gives the same bytes.
 *
 * @module
 */
import { createReadStream, statSync } from "node:fs";
import { once } from "node:events";
import type { Writable } from "node:stream";

/** Metadata of one entry. */
export type TarEntryOptions = {
  /** Permission bits. @default 0o644 for files, 0o755 for folders */
  mode?: number;
  /** @default 0 */
  uid?: number;
  /** @default 0 */
  gid?: number;
  /** Seconds since the epoch. @default 0 */
  mtime?: number;
};

const BLOCK = 512;
const ENTRY_DEFAULTS = { uid: 0, gid: 0, mtime: 0 };

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function header(name: string, type: string, size: number, opts: Required<TarEntryOptions>, linkname = ""): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, "utf8");
  h.write(octal(opts.mode, 8), 100, "ascii");
  h.write(octal(opts.uid, 8), 108, "ascii");
  h.write(octal(opts.gid, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(opts.mtime, 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write(type, 156, "ascii");
  h.write(linkname, 157, 100, "utf8");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/**
 * Writes tar entries to a stream, waiting for drain when the stream is full.
 *
 * @example A layer with one folder and one file
 * ```ts
 * const tar = new TarWriter(createWriteStream("layer.tar"));
 * await tar.directory("etc");
 * await tar.file("etc/passwd", Buffer.from("root:x:0:0::/:/sbin/nologin\n"));
 * await tar.finish();
 * ```
 */
export class TarWriter {
  #out: Writable;
  #bytes = 0;

  constructor(out: Writable) {
    this.#out = out;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#bytes;
  }

  async #write(chunk: Buffer): Promise<void> {
    this.#bytes += chunk.length;
    if (!this.#out.write(chunk)) await once(this.#out, "drain");
  }

  async #header(name: string, type: string, size: number, options: TarEntryOptions, defaultMode: number, linkname = ""): Promise<void> {
    const opts = { ...ENTRY_DEFAULTS, mode: defaultMode, ...options };
    if (Buffer.byteLength(name) > 100 || Buffer.byteLength(linkname) > 100) {
      let records = paxRecord("path", name);
      if (linkname) records += paxRecord("linkpath", linkname);
      const body = Buffer.from(records);
      await this.#write(header("PaxHeader", "x", body.length, { ...opts, mode: 0o644 }));
      await this.#write(body);
      await this.#pad(body.length);
    }
    await this.#write(header(name.slice(0, 100), type, size, opts, linkname.slice(0, 100)));
  }

  async #pad(size: number): Promise<void> {
    const rest = size % BLOCK;
    if (rest) await this.#write(Buffer.alloc(BLOCK - rest));
  }

  /** Adds a folder (a trailing `/` is added to the name). */
  async directory(name: string, options: TarEntryOptions = {}): Promise<void> {
    await this.#header(name.endsWith("/") ? name : `${name}/`, "5", 0, options, 0o755);
  }

  /** Adds a file from bytes. */
  async file(name: string, data: Uint8Array, options: TarEntryOptions = {}): Promise<void> {
    await this.#header(name, "0", data.length, options, 0o644);
    await this.#write(Buffer.from(data.buffer, data.byteOffset, data.length));
    await this.#pad(data.length);
  }

  /** Adds a file streamed from disk; its size is read first, so it must not change while being added. */
  async fileFrom(name: string, path: string, options: TarEntryOptions = {}): Promise<void> {
    const size = statSync(path).size;
    await this.#header(name, "0", size, options, 0o644);
    let copied = 0;
    for await (const chunk of createReadStream(path)) {
      copied += (chunk as Buffer).length;
      await this.#write(chunk as Buffer);
    }
    if (copied !== size) throw new Error(`Cannot add "${path}" to the tar: its size changed from ${size} to ${copied} bytes`);
    await this.#pad(size);
  }

  /** Adds a symbolic link. */
  async symlink(name: string, target: string, options: TarEntryOptions = {}): Promise<void> {
    await this.#header(name, "2", 0, options, 0o777, target);
  }

  /** Writes the two zero blocks that end an archive and ends the stream. */
  async finish(): Promise<void> {
    await this.#write(Buffer.alloc(BLOCK * 2));
    this.#out.end();
    await once(this.#out, "finish");
  }
}
