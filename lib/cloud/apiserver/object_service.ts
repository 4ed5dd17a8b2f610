/**
 * The write path of the embedded API, independent of HTTP: create, update (whole object or a subresource) and
 * patch, with the metadata a real apiserver manages (uid, creationTimestamp, generation, generateName), defaulting,
 * validation, optimistic concurrency and the no-op rule (an update that changes nothing keeps its resourceVersion
 * and sends no watch event). Deletion lives in `deleter.ts`.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { deepEqual, isPlainObject, recordUpdate, serverSideApply, type JsonValue, type KubeObject } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import { crdResource, defaultCrd, setCrdStatus, validateCrd } from "./crds.ts";
import { applyDefaults, type DefaultingContext } from "./defaults.ts";
import {
  apiVersionOf, checkIdentity, comparable, isCrdResource, keepAdmittedPodFields, randomSuffix, specPart, SYSTEM_METADATA, versionOf,
} from "./object_rules.ts";
import { checkFields, type FieldValidation } from "./field_validation.ts";
import { acceptedPatchTypes, kubeCall, PATCH_TYPES, patchedObject } from "./patching.ts";
import { groupResource, type Registry } from "./registry.ts";
import { admitServiceAccount } from "./sa_admission.ts";
import { ServiceAddresses } from "./service_addresses.ts";
import {
  alreadyExists, badRequest, conflict, forbidden, invalid, notFound, StatusError, unsupportedMediaType,
} from "./status_error.ts";
import type { ObjectStorage } from "./storage.ts";
import type { ResourceInfo, StoredObject } from "./types.ts";
import { validateObject } from "./validation.ts";

/** Options every write takes from its query string. */
export type WriteOptions = {
  /** `fieldManager`; required for server-side apply. */
  fieldManager?: string;
  /** `dryRun=All`: compute and answer, store nothing. */
  dryRun?: boolean;
  /** `force=true` of server-side apply: take fields other managers own. */
  force?: boolean;
  /** The client's manager name: set, a create, update or (non-apply) patch records its `Update` managedFields entry. */
  updateManager?: string;
  /**
   * `fieldValidation` of a client's write: set, the body (or patched object) is checked against its kind's schema
   * (`field_validation.ts`). The server's own writes leave it unset and are not checked.
   */
  fieldValidation?: FieldValidation;
  /** Collects the warnings the reply carries (`unknown field "x"` under `Warn`). */
  warnings?: string[];
};

/** What a write changed in the store. */
export type WriteResult = { stored: StoredObject; created: boolean };

/** Called after an object is removed for good (deletion finished); set by the deleter. */
export type RemovedHook = (info: ResourceInfo, removed: StoredObject) => void;

const GENERATE_ATTEMPTS = 8;

/** Creates, updates and patches objects of every served resource. */
export class ObjectService {
  readonly registry: Registry;
  readonly storage: ObjectStorage;
  #log: Logger;
  #addresses: ServiceAddresses;
  #onRemoved: RemovedHook = () => {};

  constructor(registry: Registry, storage: ObjectStorage, log: Logger) {
    this.registry = registry;
    this.storage = storage;
    this.#log = log;
    this.#addresses = new ServiceAddresses(storage);
  }

  /** Registers what runs after an object is removed (garbage collection, namespace cleanup). */
  onRemoved(hook: RemovedHook): void {
    this.#onRemoved = hook;
  }

  /** Calls the removal hook; the deleter removes objects itself and reports here. */
  removed(info: ResourceInfo, stored: StoredObject): void {
    this.#onRemoved(info, stored);
  }

  /**
   * One stored object.
   *
   * @throws StatusError 404 when absent
   */
  get(info: ResourceInfo, namespace: string, name: string): StoredObject {
    const stored = this.storage.get(groupResource(info), info.namespaced ? namespace : "", name);
    if (!stored) throw notFound(info, name);
    return stored;
  }

  /**
   * Creates an object (POST).
   *
   * @param namespace the namespace of the URL ("" for cluster-scoped resources)
   * @param body the decoded request body; it is changed and kept
   * @throws StatusError 400 (kind or namespace mismatch), 404 (no such namespace), 409 (exists), 422 (invalid)
   */
  async create(info: ResourceInfo, namespace: string, body: KubeObject, options: WriteOptions = {}): Promise<StoredObject> {
    if (options.fieldValidation) checkFields(info, body, options.fieldValidation, options.warnings ?? []);
    const obj = this.#prepareCreate(info, namespace, body);
    if (options.updateManager) {
      kubeCall(() => recordUpdate(undefined, obj, { manager: options.updateManager!, kind: info.kind, apiVersion: String(obj.apiVersion) }));
    }
    if (options.dryRun) return { object: obj, json: JSON.stringify(obj), rv: this.storage.resourceVersion };
    return this.#insert(info, obj);
  }

  /**
   * Replaces an object (PUT), or only its status with `subresource: "status"`.
   *
   * @throws StatusError 404 (absent), 409 (stale resourceVersion), 400 (name mismatch), 422 (invalid)
   */
  async update(info: ResourceInfo, namespace: string, name: string, body: KubeObject, options: WriteOptions & { subresource?: "status" } = {}): Promise<StoredObject> {
    checkIdentity(info, body, namespace, name);
    if (options.fieldValidation) checkFields(info, body, options.fieldValidation, options.warnings ?? []);
    const current = this.get(info, namespace, name);
    const rv = body.metadata?.resourceVersion;
    if (rv !== undefined && rv !== "" && rv !== String(current.rv)) throw conflict(info, name);
    return this.commitUpdate(info, current, body, options);
  }

  /**
   * Patches an object (PATCH) with one of the four patch types. Server-side apply creates a missing object.
   *
   * @param contentType the request's Content-Type, which selects the patch type
   * @param patch the decoded patch body
   * @throws StatusError 415 (unknown or unsupported patch type), 404, 409, 422; 400 for a malformed patch
   */
  async patch(
    info: ResourceInfo, namespace: string, name: string, contentType: string, patch: JsonValue,
    options: WriteOptions & { subresource?: "status" } = {},
  ): Promise<WriteResult> {
    const accepted = acceptedPatchTypes(info);
    if (!accepted.includes(contentType)) throw unsupportedMediaType(contentType, accepted);
    const ns = info.namespaced ? namespace : "";
    const current = this.storage.get(groupResource(info), ns, name);
    if (contentType === PATCH_TYPES.apply) return this.#apply(info, ns, name, current, patch, options);
    if (!current) throw notFound(info, name);
    const next = patchedObject(info, current.object, contentType, patch);
    if (options.fieldValidation) checkFields(info, next, options.fieldValidation, options.warnings ?? [], "patch");
    const rv = next.metadata?.resourceVersion;
    if (rv !== undefined && rv !== null && rv !== String(current.rv)) throw conflict(info, name);
    return { stored: await this.commitUpdate(info, current, next, options), created: false };
  }

  /**
   * Applies a change computed from the stored object: the shared tail of update, patch and the subresources.
   * `next` is the new object as the client wants it; system metadata comes from `current`.
   *
   * @param options.subresource "status" keeps all but the status; "binding", "scale" and "internal" (the server's own
   *   changes, such as garbage collection) skip update validation
   */
  async commitUpdate(
    info: ResourceInfo, current: StoredObject, next: KubeObject,
    options: WriteOptions & { subresource?: "status" | "binding" | "scale" | "internal" } = {},
  ): Promise<StoredObject> {
    const prev = current.object;
    let obj: KubeObject;
    if (options.subresource === "status") {
      obj = structuredClone(prev);
      if (next.status === undefined) delete obj.status;
      else obj.status = next.status;
    } else {
      obj = next;
      obj.apiVersion = apiVersionOf(info, versionOf(obj, info));
      obj.kind = info.kind;
      const meta = (obj.metadata = isPlainObject(obj.metadata) ? obj.metadata : {});
      meta.name = prev.metadata!.name;
      if (info.namespaced) meta.namespace = prev.metadata!.namespace;
      else delete meta.namespace;
      for (const key of SYSTEM_METADATA) {
        const v = prev.metadata![key];
        if (v === undefined) delete meta[key];
        else meta[key] = v;
      }
      delete meta.selfLink;
      if (meta.managedFields === undefined && prev.metadata!.managedFields) meta.managedFields = prev.metadata!.managedFields;
      // A resource with a status subresource ignores status in writes to the object itself.
      if (info.subresources.includes("status") && options.subresource === undefined) {
        if (prev.status === undefined) delete obj.status;
        else obj.status = structuredClone(prev.status);
      }
    }
    if (options.subresource === undefined && info.group === "" && info.kind === "Pod") keepAdmittedPodFields(obj, prev);
    this.#default(info, obj, "update", prev);
    if (options.subresource === undefined) {
      const causes = validateObject(info, obj, prev);
      if (causes.length) throw invalid(info.kind, info.group, prev.metadata!.name!, causes);
    }
    if (options.updateManager) {
      const subresource = options.subresource === "status" ? "status" : undefined;
      kubeCall(() => recordUpdate(prev, obj, { manager: options.updateManager!, kind: info.kind, apiVersion: String(obj.apiVersion), subresource }));
    }
    if (info.generation && !deepEqual(specPart(prev), specPart(obj))) {
      obj.metadata!.generation = (typeof prev.metadata!.generation === "number" ? prev.metadata!.generation : 1) + 1;
    }
    if (deepEqual(comparable(prev), comparable(obj))) return current;
    if (options.dryRun) return { object: obj, json: JSON.stringify(obj), rv: current.rv };
    const meta = obj.metadata!;
    const finalizers = Array.isArray(meta.finalizers) ? meta.finalizers : [];
    if (meta.deletionTimestamp && finalizers.length === 0 && !meta.deletionGracePeriodSeconds) {
      // The last finalizer went: the deletion that waited for it completes now.
      const removed = await this.storage.remove(groupResource(info), meta.namespace ?? "", meta.name!, current.rv);
      this.removed(info, removed);
      return removed;
    }
    const stored = await this.storage.write(groupResource(info), obj, current.rv);
    this.#afterWrite(info, stored, false);
    return stored;
  }

  async #apply(info: ResourceInfo, ns: string, name: string, current: StoredObject | undefined, patch: JsonValue, options: WriteOptions & { subresource?: "status" }): Promise<WriteResult> {
    if (!options.fieldManager) {
      throw invalid("PatchOptions", "meta.k8s.io", "", [{ reason: "FieldValueRequired", field: "fieldManager", message: "Required value: is required for apply patch" }]);
    }
    if (!isPlainObject(patch)) throw badRequest("the apply configuration must be a YAML or JSON object");
    const applied = patch as KubeObject;
    checkIdentity(info, applied, ns, name);
    const result = kubeCall(() => serverSideApply(current ? structuredClone(current.object) : undefined, applied, { manager: options.fieldManager!, kind: info.kind, force: options.force }));
    if (!current) {
      if (options.subresource) throw notFound(info, name);
      const obj = this.#prepareCreate(info, ns, result.object);
      if (options.dryRun) return { stored: { object: obj, json: JSON.stringify(obj), rv: this.storage.resourceVersion }, created: true };
      return { stored: await this.#insert(info, obj), created: true };
    }
    const rv = applied.metadata?.resourceVersion;
    if (rv !== undefined && rv !== String(current.rv)) throw conflict(info, name);
    result.object.metadata!.resourceVersion = String(current.rv);
    return { stored: await this.commitUpdate(info, current, result.object, { ...options, updateManager: undefined }), created: false };
  }

  #prepareCreate(info: ResourceInfo, namespace: string, body: KubeObject): KubeObject {
    checkIdentity(info, body, namespace);
    const meta = (body.metadata = isPlainObject(body.metadata) ? body.metadata : {});
    if (info.namespaced) {
      meta.namespace = namespace || meta.namespace || "default";
      this.#checkNamespace(meta.namespace);
    } else delete meta.namespace;
    if (!meta.name) {
      if (typeof meta.generateName !== "string" || !meta.generateName) {
        throw invalid(info.kind, info.group, "", [{ reason: "FieldValueRequired", field: "metadata.name", message: "Required value: name or generateName is required" }]);
      }
      meta.name = this.#generateName(info, meta.namespace ?? "", meta.generateName);
    }
    body.apiVersion = apiVersionOf(info, versionOf(body, info));
    body.kind = info.kind;
    for (const key of ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]) delete meta[key];
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    if (info.generation) meta.generation = 1;
    else delete meta.generation;
    if (info.subresources.includes("status") && info.kind !== "Node") delete body.status;
    this.#default(info, body, "create");
    if (info.group === "" && info.kind === "Pod") admitServiceAccount(body, (ns, name) => this.storage.get("serviceaccounts", ns, name)?.object);
    const causes = isCrdResource(info) ? validateCrd(body) : validateObject(info, body);
    if (causes.length) throw invalid(info.kind, info.group, meta.name, causes);
    if (this.storage.get(groupResource(info), meta.namespace ?? "", meta.name)) throw alreadyExists(info, meta.name);
    return body;
  }

  async #insert(info: ResourceInfo, obj: KubeObject): Promise<StoredObject> {
    const stored = await this.storage.write(groupResource(info), obj, undefined);
    this.#afterWrite(info, stored, true);
    return stored;
  }

  #generateName(info: ResourceInfo, namespace: string, prefix: string): string {
    for (let i = 0; i < GENERATE_ATTEMPTS; i++) {
      const name = prefix + randomSuffix();
      if (!this.storage.get(groupResource(info), namespace, name)) return name;
    }
    throw alreadyExists(info, prefix);
  }

  #checkNamespace(namespace: string): void {
    const ns = this.storage.get("namespaces", "", namespace);
    if (!ns) throw notFound({ group: "", resource: "namespaces" }, namespace);
    if (ns.object.metadata?.deletionTimestamp) {
      throw forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  #default(info: ResourceInfo, obj: KubeObject, op: "create" | "update", previous?: KubeObject): void {
    if (isCrdResource(info)) {
      if (op === "update") {
        const causes = validateCrd(obj);
        if (causes.length) throw invalid(info.kind, info.group, obj.metadata?.name ?? "", causes);
      }
      defaultCrd(obj);
      setCrdStatus(obj, new Date().toISOString().replace(/\.\d+Z$/, "Z"));
      return;
    }
    if (op === "create" && info.group === "" && info.kind === "Service") {
      const causes = this.#addresses.requestedProblems(obj.spec);
      if (causes.length) throw invalid(info.kind, info.group, obj.metadata?.name ?? "", causes);
    }
    const ctx: DefaultingContext = {
      op, previous,
      allocateClusterIP: () => this.#addresses.clusterIP(),
      allocateNodePort: (taken) => this.#addresses.nodePort(taken),
    };
    applyDefaults(info.group, obj, ctx);
  }

  #afterWrite(info: ResourceInfo, stored: StoredObject, created: boolean): void {
    if (isCrdResource(info)) {
      const name = stored.object.metadata?.name;
      const served = crdResource(stored.object);
      // A CRD whose names changed, or that serves no version any more, leaves its old resource behind: drop it.
      for (const old of this.registry.all()) {
        if (old.crd === name && (!served || groupResource(old) !== groupResource(served))) this.registry.remove(groupResource(old));
      }
      if (served) this.registry.put(served);
      this.#log.info("custom resource served", { crd: name, served: served ? groupResource(served) : "none" });
    }
  }
}
