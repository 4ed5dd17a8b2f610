/**
 * A journal file on disk: reading it back line by line up to the first damaged line, and appending batches of
 * lines, each batch made durable by one fdatasync.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "./_atomic_file.ts";
import { PRIVATE_FILE_MODE } from "./private_fs.ts";
import { decodeHeader, encodeHeader, verifyLine } from "./journal_line.ts";
import { StoreError } from "./store_error.ts";

/** What a journal file holds up to its first damaged or torn line. */
export type JournalContents = {
  /** The generation its header names. */
  generation: number;
  /** The verified payloads of its transaction lines, in order. */
  entries: string[];
  /** Bytes up to the end of the last good line. */
  validBytes: number;
  /** Bytes in the file; more than `validBytes` when the tail is damaged. */
  totalBytes: number;
};

const NEWLINE = 0x0a;

/**
 * Reads and verifies a journal.
 *
 * @throws StoreError `STORE_CORRUPT` when the header line is missing or damaged (headers are written by rename, so
 *   a crash cannot tear them); `STORE_IO` when the file cannot be read
 */
export async function readJournal(path: string): Promise<JournalContents> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new StoreError("STORE_IO", `Cannot read journal "${path}": ${(err as Error).message}`, { cause: err });
  }
  let generation: number | undefined;
  const entries: string[] = [];
  let start = 0;
  while (start < buf.length) {
    const end = buf.indexOf(NEWLINE, start);
    if (end < 0) break;
    const payload = verifyLine(buf.toString("utf8", start, end));
    if (payload === undefined) break;
    if (generation === undefined) {
      generation = decodeHeader(payload);
      if (generation === undefined) break;
    } else entries.push(payload);
    start = end + 1;
  }
  if (generation === undefined) {
    throw new StoreError("STORE_CORRUPT", `Cannot read journal "${path}": its header line is missing or damaged`);
  }
  return { generation, entries, validBytes: start, totalBytes: buf.length };
}

/** A journal open for appending. Not safe for concurrent appends: the journal writer calls one at a time. */
export class JournalFile {
  /** Its path. */
  readonly path: string;
  /** The generation in its header. */
  readonly generation: number;
  /** Size of the header line: a journal no bigger than this holds no transaction. */
  readonly headerBytes: number;
  #fd: number;
  #bytes: number;
  #fsync: boolean;

  private constructor(path: string, generation: number, bytes: number, fsync: boolean) {
    this.path = path;
    this.generation = generation;
    this.headerBytes = Buffer.byteLength(encodeHeader(generation));
    // O_APPEND: every write lands at the end, whatever the file offset.
    this.#fd = openSync(path, "a", PRIVATE_FILE_MODE);
    this.#bytes = bytes;
    this.#fsync = fsync;
  }

  /**
   * Creates an empty journal of `generation` (header only), atomically: it exists complete or not at all.
   *
   * @param options.fsync false skips every fsync (tests only)
   */
  static async create(path: string, generation: number, options: { fsync: boolean }): Promise<JournalFile> {
    const header = encodeHeader(generation);
    await writeFileAtomic(path, header, options);
    return new JournalFile(path, generation, Buffer.byteLength(header), options.fsync);
  }

  /**
   * Opens a journal that was read with {@link readJournal}, cutting off a damaged tail first so new lines follow
   * the last good one.
   */
  static resume(path: string, contents: JournalContents, options: { fsync: boolean }): JournalFile {
    const file = new JournalFile(path, contents.generation, contents.validBytes, options.fsync);
    if (contents.totalBytes > contents.validBytes) {
      ftruncateSync(file.#fd, contents.validBytes);
      if (options.fsync) fsyncSync(file.#fd);
    }
    return file;
  }

  /** Bytes in the file, including lines whose fdatasync is still running. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Appends `data` (whole lines) and resolves once it is on disk. The write itself is synchronous: it only copies
   * into the page cache, and doing it inline saves a thread-pool round trip per batch; the fdatasync runs off-thread.
   */
  append(data: string): Promise<void> {
    const buf = Buffer.from(data);
    let written = 0;
    try {
      while (written < buf.length) written += writeSync(this.#fd, buf, written);
    } catch (err) {
      return Promise.reject(err);
    } finally {
      this.#bytes += written;
    }
    if (!this.#fsync) return Promise.resolve();
    return new Promise((resolve, reject) => fdatasync(this.#fd, (err) => (err ? reject(err) : resolve())));
  }

  /** Closes the file descriptor. */
  close(): void {
    closeSync(this.#fd);
  }
}
