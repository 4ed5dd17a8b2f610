/**
 * The downstream half of DeviceController: a cache of Devices and DeviceModels fed by the watch, the nodes whose link
 * is up, and the messages each change means for an edge node (membership, membership detail, cloud_updated).
 *
 * @module
 */
import type { Message } from "../../model/index.ts";
import { desiredUpdate, edgeDevice, nodeOf, objectKey } from "./device_view.ts";
import { cloudUpdatedMessage, membershipDetailMessage, membershipMessage } from "./messages.ts";
import type { DeviceCR, DeviceModelCR } from "./types.ts";

/** Kinds of message sent, for counters. */
export type SentKind = "membership" | "details" | "twinUpdates";

/** Watched Devices and what they mean for each node. */
export class DeviceSync {
  readonly #send: (msg: Message, kind: SentKind) => void;
  readonly #devices = new Map<string, DeviceCR>();
  readonly #models = new Map<string, DeviceModelCR>();
  // node + "/" + device name -> Device key, to find the Device an edge report is about
  readonly #byNode = new Map<string, string>();
  readonly #connected = new Set<string>();
  #synced = false;

  /** @param send hands a message to cloudhub */
  constructor(send: (msg: Message, kind: SentKind) => void) {
    this.#send = send;
  }

  /** True once the first lists are in: before that, a node's device list could be incomplete. */
  get synced(): boolean {
    return this.#synced;
  }

  get deviceCount(): number {
    return this.#devices.size;
  }

  /** The watched copy of a Device. */
  device(namespace: string, name: string): DeviceCR | undefined {
    return this.#devices.get(`${namespace}/${name}`);
  }

  /** The `namespace/name` of the Device with this name bound to `node`, or undefined: never a device of another node. */
  findOnNode(node: string, name: string): string | undefined {
    return this.#byNode.get(`${node}/${name}`);
  }

  /** Watch callbacks for DeviceModels. */
  readonly modelHandlers = {
    add: (m: DeviceModelCR) => void this.#models.set(objectKey(m), m),
    update: (m: DeviceModelCR) => void this.#models.set(objectKey(m), m),
    delete: (m: DeviceModelCR) => void this.#models.delete(objectKey(m)),
  };

  /** Watch callbacks for Devices. */
  readonly deviceHandlers = {
    add: (d: DeviceCR) => this.#changed(d),
    update: (d: DeviceCR) => this.#changed(d),
    delete: (d: DeviceCR) => this.#deleted(d),
  };

  /** Marks the cache complete and sends every connected node its devices. */
  markSynced(): void {
    this.#synced = true;
    for (const node of this.#connected) this.sendDetail(node);
  }

  /** A node's link came up: it gets its full device list (once synced). */
  nodeConnected(node: string): void {
    this.#connected.add(node);
    if (this.#synced) this.sendDetail(node);
  }

  nodeDisconnected(node: string): void {
    this.#connected.delete(node);
  }

  /** Sends `node` all its devices with their desired twins (once synced). */
  sendDetail(node: string): void {
    if (!this.#synced) return;
    const devices = [...this.#devices.values()].filter((d) => nodeOf(d) === node).map((d) => edgeDevice(d, this.#model));
    this.#send(membershipDetailMessage(node, devices), "details");
  }

  #model = (namespace: string, name: string) => this.#models.get(`${namespace}/${name}`);

  #changed(d: DeviceCR): void {
    const key = objectKey(d);
    const before = this.#devices.get(key);
    this.#devices.set(key, d);
    const name = d.metadata?.name ?? "";
    const oldNode = before && nodeOf(before);
    const node = nodeOf(d);
    if (oldNode !== undefined) this.#byNode.delete(`${oldNode}/${name}`);
    if (node !== undefined) this.#byNode.set(`${node}/${name}`, key);
    // Before the first list completes, the detail sent at sync covers every device.
    if (!this.#synced) return;
    if (!before || oldNode !== node) {
      if (before && oldNode) this.#send(membershipMessage(oldNode, [], [{ id: name, name }]), "membership");
      if (node) this.#send(membershipMessage(node, [edgeDevice(d, this.#model)], []), "membership");
      return;
    }
    if (!node) return;
    const twin = desiredUpdate(before, d, this.#model);
    if (twin) this.#send(cloudUpdatedMessage(node, name, twin, d.metadata?.resourceVersion ?? ""), "twinUpdates");
  }

  #deleted(d: DeviceCR): void {
    const key = objectKey(d);
    const known = this.#devices.get(key) ?? d;
    this.#devices.delete(key);
    const node = nodeOf(known);
    const name = known.metadata?.name ?? "";
    if (!node) return;
    if (this.#byNode.get(`${node}/${name}`) === key) this.#byNode.delete(`${node}/${name}`);
    if (this.#synced) this.#send(membershipMessage(node, [], [{ id: name, name }]), "membership");
  }
}
