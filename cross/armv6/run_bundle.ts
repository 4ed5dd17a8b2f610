/**
 * Writes a self-extracting `.run` file: the launcher script (launcher.sh, filled in) followed by a gzip tar of the
 * Node runtime and the program bundle. The unpack folder is named after the payload's hash, so two versions never
 * mix and a second run starts without unpacking.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { chmodSync, createReadStream, createWriteStream, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { TarWriter } from "../image/tar_writer.ts";

/** What the launcher says about itself. */
export type RunBundleInfo = {
  /** Program name, e.g. `edge_core`. */
  program: string;
  version: string;
  /** Target, e.g. `armv6`. */
  arch: string;
  /** The runtime, for the header comment, e.g. `Node 20.19.2 (Debian trixie armel)`. */
  runtime: string;
};

/** What the bundle unpacks to. */
export type RunPayload = {
  /** Folder with `bin/node`, `lib/` and `s/` (see node_runtime.ts). */
  runtimeDir: string;
  /** The program's CommonJS bundle; unpacked as `app.cjs`. */
  app: string;
};

const TEMPLATE = new URL("./launcher.sh", import.meta.url);
const OFFSET_DIGITS = 10;

async function addTree(tar: TarWriter, dir: string, prefix: string): Promise<number> {
  let bytes = 0;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = statSync(path);
    if (st.isDirectory()) {
      await tar.directory(rel);
      bytes += await addTree(tar, path, rel);
    } else {
      await tar.fileFrom(rel, path, { mode: st.mode & 0o111 ? 0o755 : 0o644 });
      bytes += st.size;
    }
  }
  return bytes;
}

/**
 * Packs the runtime folder (`bin/node`, `lib/`, `s/`) and the program bundle (as `app.cjs`) behind the launcher into
 * `outfile`.
 *
 * @param payload the runtime folder and the CommonJS bundle to unpack on the device
 * @param outfile the `.run` file to write (made executable)
 * @returns unpacked and packed sizes in bytes
 */
export async function writeRunBundle(payload: RunPayload, outfile: string, info: RunBundleInfo): Promise<{ unpackedBytes: number; bytes: number }> {
  const packed = `${outfile}.payload.tgz`;
  try {
    const hash = createHash("sha256");
    const pass = new PassThrough();
    const writing = pipeline(
      pass,
      createGzip({ level: 9 }),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const c of chunks) {
          hash.update(c);
          yield c;
        }
      },
      createWriteStream(packed),
    );
    const tar = new TarWriter(pass);
    let unpackedBytes = await addTree(tar, payload.runtimeDir, "");
    await tar.fileFrom("app.cjs", payload.app);
    unpackedBytes += statSync(payload.app).size;
    await tar.finish();
    await writing;
    const id = `${info.program}-${info.version}-${hash.digest("hex").slice(0, 12)}`;
    const fill = (offset: number) =>
      readFileSync(TEMPLATE, "utf8")
        .replaceAll("@PROGRAM@", info.program)
        .replaceAll("@VERSION@", info.version)
        .replaceAll("@ARCH@", info.arch)
        .replaceAll("@RUNTIME@", info.runtime)
        .replaceAll("@UNPACKED_MB@", String(Math.round(unpackedBytes / 1e6)))
        .replaceAll("@ID@", id)
        .replaceAll("@OFFSET@", String(offset).padStart(OFFSET_DIGITS, "0"));
    // the offset has a fixed width, so the script's length does not depend on it
    const script = fill(Buffer.byteLength(fill(0)) + 1);
    writeFileSync(outfile, script, { mode: 0o755 });
    await pipeline(createReadStream(packed), createWriteStream(outfile, { flags: "a" }));
    chmodSync(outfile, 0o755);
    return { unpackedBytes, bytes: statSync(outfile).size };
  } finally {
    rmSync(packed, { force: true });
  }
}
