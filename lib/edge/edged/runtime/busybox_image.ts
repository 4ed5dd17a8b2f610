/**
 * Builds a tiny image offline from the host's static busybox (Debian's `busybox-static`): `/bin/busybox` with a
 * symlink per applet, `/etc/passwd`, `/etc/group`, `/tmp`, `/www`, imported as a root filesystem. Edged uses it as
 * the pod sandbox ("pause") image, and tests and the quick start run their workloads on it, so no registry is needed.
 *
 * @module
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { buildTar, type TarEntry } from "./_tar.ts";
import type { ContainerRuntime } from "./types.ts";

/** The tag Edged and the tests use unless told otherwise. */
export const BUSYBOX_IMAGE = "kubeedge-ts/busybox:latest";

/** Where busybox comes from and what to call the image. */
export type BusyboxImageOptions = {
  /** @default "kubeedge-ts/busybox:latest" */
  tag?: string;
  /** A statically linked busybox on this host. @default "/bin/busybox" */
  busyboxPath?: string;
  signal?: AbortSignal;
};

const DEFAULTS = { tag: BUSYBOX_IMAGE, busyboxPath: "/bin/busybox" };

const PASSWD = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";
const GROUP = "root:x:0:\nnogroup:x:65534:\n";

/**
 * Makes sure the busybox image exists in the engine, building and importing it when it does not.
 *
 * @returns the image's tag and whether it was built now
 * @throws Error when busybox cannot be read or run on this host, RuntimeError when the engine refuses the import
 * @example Before starting pods in a test
 * ```ts
 * const docker = new DockerRuntime({ socketPath });
 * await ensureBusyboxImage(docker);
 * ```
 */
export async function ensureBusyboxImage(runtime: ContainerRuntime, options: BusyboxImageOptions = {}): Promise<{ tag: string; built: boolean }> {
  const o = { ...DEFAULTS, ...options };
  if (await runtime.inspectImage(o.tag, o.signal)) return { tag: o.tag, built: false };
  await runtime.importImage(await busyboxRootfsTar(o.busyboxPath), o.tag, o.signal);
  return { tag: o.tag, built: true };
}

/**
 * The root filesystem as a tar archive.
 *
 * @throws Error when `busyboxPath` is missing or does not list its applets
 */
export async function busyboxRootfsTar(busyboxPath: string): Promise<Uint8Array> {
  let binary: Uint8Array, applets: string[];
  try {
    binary = await readFile(busyboxPath);
    const { stdout } = await promisify(execFile)(busyboxPath, ["--list"]);
    applets = stdout.split("\n").map((s) => s.trim()).filter((s) => s && !s.includes("/") && s !== "busybox");
  } catch (cause) {
    throw new Error(`Cannot build busybox image from "${busyboxPath}": ${cause instanceof Error ? cause.message : String(cause)} (install busybox-static)`, { cause });
  }
  const text = (s: string) => new TextEncoder().encode(s);
  const entries: TarEntry[] = [
    { type: "dir", path: "bin", mode: 0o755 },
    { type: "file", path: "bin/busybox", mode: 0o755, data: binary },
    ...applets.map((a): TarEntry => ({ type: "symlink", path: `bin/${a}`, target: "busybox" })),
    { type: "dir", path: "etc", mode: 0o755 },
    { type: "file", path: "etc/passwd", mode: 0o644, data: text(PASSWD) },
    { type: "file", path: "etc/group", mode: 0o644, data: text(GROUP) },
    { type: "dir", path: "root", mode: 0o700 },
    { type: "dir", path: "tmp", mode: 0o1777 },
    { type: "dir", path: "www", mode: 0o755 },
  ];
  return buildTar(entries);
}
