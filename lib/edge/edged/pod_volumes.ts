/**
 * Prepares a pod's volumes on the host under `<dataDir>/pods/<uid>/volumes/<kind>/<name>`: emptyDir folders,
 * hostPath checks, and ConfigMap, Secret, downwardAPI and projected files (service-account tokens too) written
 * atomically with their modes. A token that cannot be had leaves its file out and is reported, it does not hold the
 * pod back (as the kubelet's projected volumes fail, the pod here still starts).
 * Preparing again after the referenced object changed rewrites the files in place: containers see the new content
 * through the same bind mount. The folders down to `<kind>` are 0700 so no other host user reaches a Secret; the
 * volume folders themselves keep the modes containers need (emptyDir 0777, files `defaultMode`, 0644 by default).
 *
 * @module
 */
import { chmod, mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { PRIVATE_DIR_MODE } from "../../store/index.ts";
import { writeAtomicDir, type FileContent } from "./atomic_dir.ts";
import { EdgedError } from "./edged_error.ts";
import { configMapData, type EnvDeps, secretData } from "./env.ts";
import { fieldRefValue } from "./field_ref.ts";
import { projectedToken } from "./service_account_token.ts";
import type { DownwardFile, KeyToPath, Pod, Volume } from "./types.ts";

/** Volume kinds Edged can prepare. */
const SUPPORTED = ["emptyDir", "hostPath", "configMap", "secret", "downwardAPI", "projected"] as const;

const DEFAULT_MODE = 0o644;

/** A prepared volume: where it is on the host and whether containers should see it read-only. */
export type PreparedVolume = { hostPath: string; readOnly: boolean };

/** Told about a volume prepared without one of its files, and why (for a Warning Event). */
export type VolumeWarning = (volume: string, message: string) => void;

/**
 * Prepares every volume of `pod` below `root`.
 *
 * @param warn told about files left out (a service-account token that cannot be had)
 * @returns volume name -> prepared volume
 * @throws EdgedError `EDGED_NOT_FOUND` for a missing non-optional object or key, `EDGED_CONFIG` for an unsupported
 *   volume kind or a hostPath of the wrong type
 */
export async function prepareVolumes(pod: Pod, root: string, deps: EnvDeps, warn: VolumeWarning = () => {}): Promise<Map<string, PreparedVolume>> {
  const out = new Map<string, PreparedVolume>();
  for (const v of pod.spec.volumes ?? []) out.set(v.name, await prepareVolume(pod, v, root, deps, warn));
  return out;
}

async function prepareVolume(pod: Pod, v: Volume, root: string, deps: EnvDeps, warn: VolumeWarning): Promise<PreparedVolume> {
  const ns = pod.metadata.namespace ?? "default";
  if (v.emptyDir) {
    await mkdir(join(root, "empty-dir"), { recursive: true, mode: PRIVATE_DIR_MODE });
    const dir = join(root, "empty-dir", v.name);
    // any container user may write an emptyDir; its 0700 parents keep other host users out
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o777);
    return { hostPath: dir, readOnly: false };
  }
  if (v.hostPath) return { hostPath: await prepareHostPath(v.name, v.hostPath), readOnly: false };
  const files = new Map<string, FileContent>();
  let kind: string;
  if (v.configMap) {
    kind = "configmap";
    const data = await configMapData(deps, ns, v.configMap.name, v.configMap.optional);
    addKeys(files, data, v.configMap.items, v.configMap.defaultMode, `configmap "${ns}/${v.configMap.name}"`, v.configMap.optional);
  } else if (v.secret) {
    kind = "secret";
    const data = await secretData(deps, ns, v.secret.secretName, v.secret.optional);
    addKeys(files, data, v.secret.items, v.secret.defaultMode, `secret "${ns}/${v.secret.secretName}"`, v.secret.optional);
  } else if (v.downwardAPI) {
    kind = "downward-api";
    addDownward(files, pod, v.downwardAPI.items, v.downwardAPI.defaultMode, deps);
  } else if (v.projected) {
    kind = "projected";
    const mode = v.projected.defaultMode;
    for (const s of v.projected.sources ?? []) {
      if (s.configMap) {
        const data = await configMapData(deps, ns, s.configMap.name, s.configMap.optional);
        addKeys(files, data, s.configMap.items, mode, `configmap "${ns}/${s.configMap.name}"`, s.configMap.optional);
      } else if (s.secret) {
        const data = await secretData(deps, ns, s.secret.name, s.secret.optional);
        addKeys(files, data, s.secret.items, mode, `secret "${ns}/${s.secret.name}"`, s.secret.optional);
      } else if (s.downwardAPI) {
        addDownward(files, pod, s.downwardAPI.items, mode, deps);
      } else if (s.serviceAccountToken) {
        const got = await projectedToken(pod, s.serviceAccountToken, deps);
        if ("token" in got) files.set(s.serviceAccountToken.path, { data: got.token, mode: mode ?? DEFAULT_MODE });
        const why = "missing" in got ? got.missing : got.stale;
        if (why) warn(v.name, `MountVolume.SetUp failed for volume "${v.name}" : failed to fetch token: ${why}`);
      }
    }
  } else {
    const kindName = Object.keys(v).find((k) => k !== "name") ?? "none";
    throw new EdgedError("EDGED_CONFIG", `Cannot prepare volume "${v.name}": kind "${kindName}" is not supported (supported: ${SUPPORTED.join(", ")})`);
  }
  // the parents are private (the files may be Secrets); the volume folder itself is readable by container users
  await mkdir(join(root, kind), { recursive: true, mode: PRIVATE_DIR_MODE });
  const dir = join(root, kind, v.name);
  await writeAtomicDir(dir, files);
  return { hostPath: dir, readOnly: true };
}

function addKeys(
  files: Map<string, FileContent>, data: Record<string, Uint8Array>, items: KeyToPath[] | undefined, defaultMode: number | undefined,
  what: string, optional: boolean | undefined,
): void {
  const mode = defaultMode ?? DEFAULT_MODE;
  if (!items) {
    for (const [k, v] of Object.entries(data)) files.set(k, { data: v, mode });
    return;
  }
  for (const it of items) {
    const v = data[it.key];
    if (v === undefined) {
      if (optional) continue;
      throw new EdgedError("EDGED_NOT_FOUND", `Cannot prepare volume file "${it.path}": key "${it.key}" not found in ${what}`);
    }
    files.set(it.path, { data: v, mode: it.mode ?? mode });
  }
}

function addDownward(files: Map<string, FileContent>, pod: Pod, items: DownwardFile[] | undefined, defaultMode: number | undefined, deps: EnvDeps): void {
  for (const it of items ?? []) {
    if (!it.fieldRef) continue;
    files.set(it.path, { data: Buffer.from(fieldRefValue(pod, it.fieldRef.fieldPath, deps.facts), "utf8"), mode: it.mode ?? defaultMode ?? DEFAULT_MODE });
  }
}

async function prepareHostPath(name: string, hp: { path: string; type?: string }): Promise<string> {
  const type = hp.type ?? "";
  const st = await stat(hp.path).catch(() => undefined);
  const fail = (why: string) => {
    throw new EdgedError("EDGED_CONFIG", `Cannot prepare hostPath volume "${name}": "${hp.path}" ${why}`);
  };
  switch (type) {
    case "DirectoryOrCreate":
      if (!st) await mkdir(hp.path, { recursive: true, mode: 0o755 });
      else if (!st.isDirectory()) fail("is not a directory");
      break;
    case "FileOrCreate":
      if (!st) {
        await mkdir(dirname(hp.path), { recursive: true });
        await writeFile(hp.path, "", { mode: 0o644 });
      } else if (!st.isFile()) fail("is not a file");
      break;
    case "Directory":
      if (!st?.isDirectory()) fail("is not an existing directory");
      break;
    case "File":
      if (!st?.isFile()) fail("is not an existing file");
      break;
    case "Socket":
      if (!st?.isSocket()) fail("is not an existing socket");
      break;
    default:
      break;
  }
  return hp.path;
}

/**
 * `configmap/<name>`, `secret/<name>` and `serviceaccounttoken/<pod name>` keys of the objects a pod's volumes and
 * environment reference.
 */
export function referencedObjects(pod: Pod): Set<string> {
  const refs = new Set<string>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap) refs.add(`configmap/${v.configMap.name}`);
    if (v.secret) refs.add(`secret/${v.secret.secretName}`);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) refs.add(`configmap/${s.configMap.name}`);
      if (s.secret) refs.add(`secret/${s.secret.name}`);
      if (s.serviceAccountToken) refs.add(`serviceaccounttoken/${pod.metadata.name ?? ""}`);
    }
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef) refs.add(`configmap/${f.configMapRef.name}`);
      if (f.secretRef) refs.add(`secret/${f.secretRef.name}`);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef?.name) refs.add(`configmap/${e.valueFrom.configMapKeyRef.name}`);
      if (e.valueFrom?.secretKeyRef?.name) refs.add(`secret/${e.valueFrom.secretKeyRef.name}`);
    }
  }
  return refs;
}
