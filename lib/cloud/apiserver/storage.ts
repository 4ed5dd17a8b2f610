/**
 * The embedded API's objects over `lib/store`, with one global resourceVersion counter, like etcd's revision.
 *
 * Every object lives in memory (parsed and serialised, so a list of 10,000 pods is a string join) and in the
 * `apiserver_objects` table; the counter lives in `apiserver_meta`. A write changes memory at once, so the next
 * request sees it and optimistic concurrency needs no locks, then commits; its reply and its watch event wait for
 * the commit, and events are published in resourceVersion order even when commits finish out of order.
 *
 * @module
 */
import type { KubeObject } from "../../kube/index.ts";
import type { Logger } from "../../log/index.ts";
import type { Store, Tx } from "../../store/types.ts";
import { conflict, internalError } from "./status_error.ts";
import type { ChangeEvent, GroupResource, StoredObject, WatchEventType } from "./types.ts";
import type { WatchHub } from "./watch_hub.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS apiserver_objects (key TEXT PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL,
     name TEXT NOT NULL, rv INTEGER NOT NULL, json TEXT NOT NULL)`,
  "CREATE TABLE IF NOT EXISTS apiserver_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
];

type Pending = { event: ChangeEvent; state: "committing" | "done" | "failed"; done?: Promise<void> };

type ObjectRow = { resource: string; namespace: string; name: string; rv: number; json: string };

/** Splits `deployments.apps` into its resource and group, for error messages. */
export function splitGroupResource(gr: GroupResource): { group: string; resource: string } {
  const dot = gr.indexOf(".");
  return dot < 0 ? { group: "", resource: gr } : { group: gr.slice(dot + 1), resource: gr.slice(0, dot) };
}

function rowKey(gr: GroupResource, namespace: string, name: string): string {
  return `${gr}/${namespace}/${name}`;
}

/** Objects by group-resource, namespace and name, kept in memory and in the store. */
export class ObjectStorage {
  #store: Store;
  #log: Logger;
  #hub: WatchHub | undefined;
  #rv: number;
  #objects = new Map<GroupResource, Map<string, Map<string, StoredObject>>>();
  /** Keys of each resource in list order; only adding or removing an object changes the order. */
  #order = new Map<GroupResource, [string, string][]>();
  #pending: Pending[] = [];
  /** Owner uid to the objects whose ownerReferences name it, so garbage collection finds dependents directly. */
  #dependents = new Map<string, Set<string>>();

  private constructor(store: Store, log: Logger, rv: number) {
    this.#store = store;
    this.#log = log;
    this.#rv = rv;
  }

  /**
   * Creates the tables when missing and loads every object.
   *
   * @throws the store's error when it cannot be read or written
   */
  static async open(store: Store, log: Logger): Promise<ObjectStorage> {
    await store.transaction((tx) => {
      for (const sql of SCHEMA) tx.run(sql);
    });
    const meta = store.get<{ value: string }>("SELECT value FROM apiserver_meta WHERE key = 'rv'");
    const rows = store.all<ObjectRow>("SELECT resource, namespace, name, rv, json FROM apiserver_objects");
    let rv = meta ? Number(meta.value) : 0;
    const storage = new ObjectStorage(store, log, 0);
    for (const row of rows) {
      rv = Math.max(rv, row.rv);
      storage.#place(row.resource, row.namespace, row.name, { object: JSON.parse(row.json), json: row.json, rv: row.rv });
    }
    storage.#rv = rv;
    log.info("objects loaded", { objects: rows.length, resourceVersion: rv });
    return storage;
  }

  /** Where committed events go. Set once, before serving. */
  attach(hub: WatchHub): void {
    this.#hub = hub;
  }

  /** The current global resourceVersion: the one of the latest write. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** Writes whose commit has not finished yet. */
  get pendingWrites(): number {
    return this.#pending.length;
  }

  /** One object, or undefined. Never change the returned object: copy it first. */
  get(gr: GroupResource, namespace: string, name: string): StoredObject | undefined {
    return this.#objects.get(gr)?.get(namespace)?.get(name);
  }

  /**
   * The objects of a resource, ordered by namespace then name (the order etcd keys give a real apiserver).
   *
   * @param namespace only this namespace; undefined for all
   */
  list(gr: GroupResource, namespace?: string): readonly StoredObject[] {
    if (namespace !== undefined) {
      const names = this.#objects.get(gr)?.get(namespace);
      if (!names) return [];
      return [...names.keys()].sort().map((n) => names.get(n)!);
    }
    const byNs = this.#objects.get(gr);
    if (!byNs) return [];
    let order = this.#order.get(gr);
    if (!order) {
      order = [];
      for (const ns of [...byNs.keys()].sort()) for (const n of [...byNs.get(ns)!.keys()].sort()) order.push([ns, n]);
      this.#order.set(gr, order);
    }
    return order.map(([ns, n]) => byNs.get(ns)!.get(n)!);
  }

  /** The objects whose ownerReferences name `ownerUid`, as [group-resource, namespace, name]. */
  dependentsOf(ownerUid: string): [GroupResource, string, string][] {
    return [...(this.#dependents.get(ownerUid) ?? [])].map((k) => JSON.parse(k) as [GroupResource, string, string]);
  }

  /** The group-resources that have objects in a namespace (for namespace deletion). */
  resourcesIn(namespace: string): GroupResource[] {
    const out: GroupResource[] = [];
    for (const [gr, byNs] of this.#objects) if (byNs.get(namespace)?.size) out.push(gr);
    return out;
  }

  /**
   * Creates or replaces an object. Sets `metadata.resourceVersion`; the caller has filled everything else.
   *
   * @param expectRv the resourceVersion the caller read (undefined: create, must not exist)
   * @returns the stored object, once durable
   * @throws StatusError 409 when the object changed since the caller read it
   */
  write(gr: GroupResource, object: KubeObject, expectRv?: number): Promise<StoredObject> {
    const meta = object.metadata!;
    const namespace = meta.namespace ?? "", name = meta.name!;
    const current = this.get(gr, namespace, name);
    if ((current?.rv) !== expectRv) throw conflict(splitGroupResource(gr), name);
    const rv = ++this.#rv;
    meta.resourceVersion = String(rv);
    const stored: StoredObject = { object, json: JSON.stringify(object), rv };
    this.#place(gr, namespace, name, stored);
    const type: WatchEventType = current ? "MODIFIED" : "ADDED";
    const event: ChangeEvent = { type, gr, namespace, rv, object, json: stored.json, previous: current?.object };
    return this.#commit(event, current, (tx) => {
      tx.run(
        "INSERT OR REPLACE INTO apiserver_objects (key, resource, namespace, name, rv, json) VALUES (?, ?, ?, ?, ?, ?)",
        [rowKey(gr, namespace, name), gr, namespace, name, rv, stored.json],
      );
    }).then(() => stored);
  }

  /**
   * Deletes an object for good. Its last state goes out in the DELETED event with a new resourceVersion.
   *
   * @param expectRv the resourceVersion the caller read
   * @returns the object's last state, once durable
   * @throws StatusError 409 when the object changed since the caller read it
   */
  remove(gr: GroupResource, namespace: string, name: string, expectRv: number): Promise<StoredObject> {
    const current = this.get(gr, namespace, name);
    if (!current || current.rv !== expectRv) throw conflict(splitGroupResource(gr), name);
    const rv = ++this.#rv;
    const object = structuredClone(current.object);
    object.metadata!.resourceVersion = String(rv);
    const stored: StoredObject = { object, json: JSON.stringify(object), rv };
    this.#unplace(gr, namespace, name);
    const event: ChangeEvent = { type: "DELETED", gr, namespace, rv, object, json: stored.json, previous: current.object };
    return this.#commit(event, current, (tx) => {
      tx.run("DELETE FROM apiserver_objects WHERE key = ?", [rowKey(gr, namespace, name)]);
    }).then(() => stored);
  }

  #commit(event: ChangeEvent, previous: StoredObject | undefined, body: (tx: Tx) => void): Promise<void> {
    const pending: Pending = { event, state: "committing" };
    this.#pending.push(pending);
    const rv = event.rv;
    const done = this.#store
      .transaction((tx) => {
        body(tx);
        tx.run("INSERT OR REPLACE INTO apiserver_meta (key, value) VALUES ('rv', ?)", [String(rv)]);
      })
      .then(
        () => {
          pending.state = "done";
          this.#flush();
        },
        (err: unknown) => {
          pending.state = "failed";
          this.#revert(event, previous);
          this.#flush();
          this.#log.error("write failed", { resource: event.gr, namespace: event.namespace, name: event.object.metadata?.name, err });
          throw internalError(`cannot store ${event.gr} "${event.object.metadata?.name}"`, err);
        },
      );
    pending.done = done.catch(() => {});
    return done;
  }

  /** Resolves once every write started so far has finished committing (or failed). */
  async drain(): Promise<void> {
    await Promise.all(this.#pending.map((p) => p.done));
  }

  /** Puts back what a failed commit replaced, unless a later write changed the object since. */
  #revert(event: ChangeEvent, previous: StoredObject | undefined): void {
    const name = event.object.metadata!.name!;
    const now = this.get(event.gr, event.namespace, name);
    if (event.type === "DELETED" ? now !== undefined : now?.rv !== event.rv) return;
    if (previous) this.#place(event.gr, event.namespace, name, previous);
    else this.#unplace(event.gr, event.namespace, name);
  }

  /** Publishes finished commits from the front of the queue, keeping resourceVersion order. */
  #flush(): void {
    while (this.#pending.length && this.#pending[0]!.state !== "committing") {
      const p = this.#pending.shift()!;
      if (p.state === "done") this.#hub?.publish(p.event);
    }
  }

  #place(gr: GroupResource, namespace: string, name: string, stored: StoredObject): void {
    let byNs = this.#objects.get(gr);
    if (!byNs) this.#objects.set(gr, (byNs = new Map()));
    let names = byNs.get(namespace);
    if (!names) byNs.set(namespace, (names = new Map()));
    const before = names.get(name);
    if (!before) this.#order.delete(gr);
    names.set(name, stored);
    this.#indexOwners(gr, namespace, name, before?.object, stored.object);
  }

  #unplace(gr: GroupResource, namespace: string, name: string): void {
    const names = this.#objects.get(gr)?.get(namespace);
    const before = names?.get(name);
    if (!names || !before) return;
    names.delete(name);
    if (names.size === 0) this.#objects.get(gr)!.delete(namespace);
    this.#order.delete(gr);
    this.#indexOwners(gr, namespace, name, before.object, undefined);
  }

  #indexOwners(gr: GroupResource, namespace: string, name: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
    const uids = (o: KubeObject | undefined) => {
      const refs = o?.metadata?.ownerReferences;
      return new Set(Array.isArray(refs) ? refs.map((r) => (r as { uid?: unknown }).uid).filter((u): u is string => typeof u === "string") : []);
    };
    const old = uids(before), now = uids(after);
    if (old.size === 0 && now.size === 0) return;
    const key = JSON.stringify([gr, namespace, name]);
    for (const uid of old) {
      if (now.has(uid)) continue;
      const set = this.#dependents.get(uid);
      set?.delete(key);
      if (set?.size === 0) this.#dependents.delete(uid);
    }
    for (const uid of now) {
      let set = this.#dependents.get(uid);
      if (!set) this.#dependents.set(uid, (set = new Set()));
      set.add(key);
    }
  }
}
