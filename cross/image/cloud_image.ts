/**
 * The cloud_core container image, built without an engine: one layer with the x64 Bun-compiled cloud_core, the
 * few glibc files it links (found with ldd on the build host), a passwd/group naming the non-root user 65532, the
 * image's cloud.yaml, and empty /tmp and data folders. Nothing else: no shell, no package manager.
 *
 * @module
 */
import { createWriteStream, readFileSync, realpathSync, rmSync } from "node:fs";
import { runCommand } from "../run_command.ts";
import { writeImageArchive } from "./image_archive.ts";
import { type TarEntryOptions, TarWriter } from "./tar_writer.ts";

/** Options of {@link buildCloudImage}. */
export type CloudImageOptions = {
  /** Image name and tag. @default "kubeedge-ts/cloud_core:<version>" */
  repoTag?: string;
  version: string;
};

/** User and group the process runs as (the usual "nonroot" id of distroless images). */
export const IMAGE_UID = 65532;
/** Where state lives; declared as a volume. */
export const IMAGE_DATA_DIR = "/var/lib/kubeedge-ts";
const BINARY = "/usr/local/bin/cloud_core";
const CONFIG = "/etc/kubeedge-ts/cloud.yaml";
const IMAGE_CONFIG = new URL("./cloud.yaml", import.meta.url);

/**
 * The shared objects `binary` loads, as `[path in the image, file on the host]`, from `ldd`: the dynamic loader
 * and each library at the path ldd shows, so the binary's own interpreter path and the loader's default search
 * folders find them without an ld.so.cache.
 */
export async function linkedLibraries(binary: string): Promise<[string, string][]> {
  const { stdout } = await runCommand("ldd", [binary]);
  const out: [string, string][] = [];
  for (const line of stdout.split("\n")) {
    const m = line.match(/=>\s+(\/\S+)/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (m) out.push([m[1], realpathSync(m[1])]);
  }
  if (!out.some(([p]) => p.includes("ld-linux"))) throw new Error(`Cannot find the dynamic loader of "${binary}" in ldd's output`);
  return out;
}

/** `a/b/c` -> `["a", "a/b"]` */
function parents(rel: string): string[] {
  const parts = rel.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Writes the image archive `outfile` for the x64 cloud_core `binary`.
 *
 * @param binary the x64 cloud_core single executable
 * @param outfile the archive to write (`docker load -i outfile`)
 * @returns image id, archive size and the files in the layer
 */
export async function buildCloudImage(binary: string, outfile: string, options: CloudImageOptions): Promise<{ imageId: string; bytes: number; files: string[] }> {
  const repoTag = options.repoTag ?? `kubeedge-ts/cloud_core:${options.version}`;
  const libs = await linkedLibraries(binary);
  const layer = `${outfile}.layer.tar`;
  const tar = new TarWriter(createWriteStream(layer));
  const dirs = new Set<string>();
  const files: string[] = [];
  const dir = async (rel: string, opts: TarEntryOptions = {}) => {
    for (const p of [...parents(rel), rel]) {
      if (dirs.has(p)) continue;
      dirs.add(p);
      await tar.directory(p, p === rel ? opts : {});
    }
  };
  const file = async (path: string, data: Uint8Array | string, mode = 0o644) => {
    const rel = path.slice(1);
    for (const p of parents(rel)) await dir(p);
    files.push(path);
    if (typeof data === "string") await tar.fileFrom(rel, data, { mode });
    else await tar.file(rel, data, { mode });
  };
  const user = { uid: IMAGE_UID, gid: IMAGE_UID };
  await dir("tmp", { mode: 0o1777 });
  await dir(IMAGE_DATA_DIR.slice(1), user);
  await dir("home/nonroot", { ...user, mode: 0o700 });
  await file("/etc/passwd", Buffer.from(`root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${IMAGE_UID}:${IMAGE_UID}:nonroot:/home/nonroot:/sbin/nologin\n`));
  await file("/etc/group", Buffer.from(`root:x:0:\nnonroot:x:${IMAGE_UID}:\n`));
  await file("/etc/nsswitch.conf", Buffer.from("passwd: files\ngroup: files\nhosts: files dns\n"));
  await file(CONFIG, readFileSync(IMAGE_CONFIG));
  for (const [path, host] of libs) await file(path, host, 0o755);
  await file(BINARY, binary, 0o755);
  await tar.finish();
  try {
    const result = await writeImageArchive(outfile, {
      layers: [layer],
      repoTag,
      createdBy: "build.ts --image: cloud_core, its glibc files, passwd/group, cloud.yaml",
      config: {
        User: `${IMAGE_UID}:${IMAGE_UID}`,
        Entrypoint: [BINARY],
        Cmd: ["--config", CONFIG],
        Env: ["PATH=/usr/local/bin", "HOME=/home/nonroot"],
        WorkingDir: "/home/nonroot",
        Volumes: { [IMAGE_DATA_DIR]: {} },
        ExposedPorts: { "10000/tcp": {}, "6443/tcp": {} },
        Labels: { "org.opencontainers.image.title": "cloud_core", "org.opencontainers.image.version": options.version },
      },
    });
    return { ...result, files };
  } finally {
    rmSync(layer, { force: true });
  }
}
