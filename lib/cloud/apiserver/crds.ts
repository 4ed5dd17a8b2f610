/**
 * CustomResourceDefinitions: turning a CRD into the resource the server then serves generically, its server-set
 * status, and loading the manifests installed at start (`conf/crds/*.yaml`).
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as yaml from "js-yaml";
import { getPath, isPlainObject, type JsonObject, type JsonValue, type KubeObject } from "../../kube/index.ts";
import { validateCrdSchemas } from "./crd_structural.ts";
import { compareVersions } from "./registry.ts";
import type { StatusCause } from "./status_error.ts";
import type { ResourceInfo, SubresourceName } from "./types.ts";

/** The folder whose `*.yaml` CRDs are installed at start when no list is given. */
export const DEFAULT_CRD_DIR = fileURLToPath(new URL("../../../conf/crds/", import.meta.url));

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [];
}

function versionsOf(crd: KubeObject): JsonObject[] {
  const v = getPath(crd, "spec.versions");
  return Array.isArray(v) ? v.filter(isPlainObject) : [];
}

/** Checks the parts of a CRD that serving depends on, and its schemas (`crd_structural.ts`). */
export function validateCrd(crd: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const group = getPath(crd, "spec.group"), plural = getPath(crd, "spec.names.plural"), kind = getPath(crd, "spec.names.kind");
  if (typeof group !== "string" || !group.includes(".")) causes.push({ reason: "FieldValueInvalid", field: "spec.group", message: `Invalid value: ${JSON.stringify(group ?? "")}: should be a domain with at least one dot` });
  if (typeof plural !== "string" || !plural) causes.push({ reason: "FieldValueRequired", field: "spec.names.plural", message: "Required value" });
  if (typeof kind !== "string" || !kind) causes.push({ reason: "FieldValueRequired", field: "spec.names.kind", message: "Required value" });
  const scope = getPath(crd, "spec.scope");
  if (scope !== "Namespaced" && scope !== "Cluster") causes.push({ reason: "FieldValueNotSupported", field: "spec.scope", message: `Unsupported value: ${JSON.stringify(scope ?? "")}: supported values: "Cluster", "Namespaced"` });
  const versions = versionsOf(crd);
  if (versions.length === 0) causes.push({ reason: "FieldValueRequired", field: "spec.versions", message: "Required value" });
  else if (versions.filter((v) => v.storage === true).length !== 1) causes.push({ reason: "FieldValueInvalid", field: "spec.versions", message: "Invalid value: must have exactly one version marked as storage version" });
  causes.push(...validateCrdSchemas(crd));
  if (causes.length === 0 && crd.metadata?.name !== `${plural}.${group}`) {
    causes.push({ reason: "FieldValueInvalid", field: "metadata.name", message: `Invalid value: ${JSON.stringify(crd.metadata?.name ?? "")}: must be spec.names.plural+"."+spec.group` });
  }
  return causes;
}

/**
 * The resource a (valid) CRD defines: its served versions, names and subresources.
 *
 * @returns undefined when the CRD serves no version
 */
export function crdResource(crd: KubeObject): ResourceInfo | undefined {
  const served = versionsOf(crd).filter((v) => v.served !== false && typeof v.name === "string");
  if (served.length === 0) return undefined;
  const storage = versionsOf(crd).find((v) => v.storage === true) ?? served[0]!;
  const names = (getPath(crd, "spec.names") ?? {}) as JsonObject;
  const kind = String(names.kind);
  const sub = isPlainObject(storage.subresources) ? storage.subresources : {};
  const subresources: SubresourceName[] = [];
  if (isPlainObject(sub.status)) subresources.push("status");
  const info: ResourceInfo = {
    group: String(getPath(crd, "spec.group")),
    version: String(storage.name),
    versions: served.map((v) => String(v.name)).sort((a, b) => compareVersions(b, a)),
    resource: String(names.plural),
    kind,
    listKind: typeof names.listKind === "string" ? names.listKind : `${kind}List`,
    singular: typeof names.singular === "string" && names.singular ? names.singular : kind.toLowerCase(),
    namespaced: getPath(crd, "spec.scope") === "Namespaced",
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    subresources,
    generation: true,
    crd: crd.metadata?.name,
  };
  if (isPlainObject(sub.scale)) {
    subresources.push("scale");
    info.scale = {
      specReplicasPath: String(sub.scale.specReplicasPath ?? ".spec.replicas").replace(/^\./, ""),
      statusReplicasPath: String(sub.scale.statusReplicasPath ?? ".status.replicas").replace(/^\./, ""),
      labelSelectorPath: typeof sub.scale.labelSelectorPath === "string" ? sub.scale.labelSelectorPath.replace(/^\./, "") : undefined,
    };
  }
  return info;
}

/** Fills what the real apiserver defaults in a CRD's spec: `names.singular`, `names.listKind`, `conversion`. */
export function defaultCrd(crd: KubeObject): void {
  const spec = isPlainObject(crd.spec) ? crd.spec : undefined;
  if (!spec) return;
  const names = isPlainObject(spec.names) ? spec.names : undefined;
  if (names && typeof names.kind === "string" && names.kind) {
    if (names.singular === undefined || names.singular === "") names.singular = names.kind.toLowerCase();
    if (names.listKind === undefined || names.listKind === "") names.listKind = `${names.kind}List`;
  }
  if (spec.conversion === undefined) spec.conversion = { strategy: "None" };
}

/** Sets the status a real apiserver reports for an accepted CRD: names accepted, established, stored versions. */
export function setCrdStatus(crd: KubeObject, now: string): void {
  const storage = versionsOf(crd).find((v) => v.storage === true);
  const previous = isPlainObject(crd.status) ? crd.status : {};
  const stored = new Set(strings(previous.storedVersions));
  if (storage && typeof storage.name === "string") stored.add(storage.name);
  const condition = (type: string, reason: string, message: string): JsonObject => ({ type, status: "True", lastTransitionTime: now, reason, message });
  crd.status = {
    acceptedNames: structuredClone(getPath(crd, "spec.names") ?? {}),
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found"),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
    ],
    storedVersions: [...stored],
  };
}

/**
 * Reads the CRD manifests of a folder (every `*.yaml`, several documents each allowed).
 *
 * @throws Error naming the file when one cannot be read or parsed
 */
export function loadCrdManifests(dir: string = DEFAULT_CRD_DIR): KubeObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") || f.endsWith(".yml"))
    .sort()
    .flatMap((file) => parseCrdManifests(readFileSync(join(dir, file), "utf8"), join(dir, file)));
}

/**
 * The CRDs in one YAML text (other kinds are skipped).
 *
 * @throws Error naming `source` when the YAML does not parse
 */
export function parseCrdManifests(text: string, source: string): KubeObject[] {
  try {
    return yaml.loadAll(text).filter((doc) => isPlainObject(doc) && doc.kind === "CustomResourceDefinition") as KubeObject[];
  } catch (err) {
    throw new Error(`Cannot load CRD manifest "${source}": ${(err as Error).message}`, { cause: err });
  }
}
