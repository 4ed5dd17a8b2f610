/**
 * The topic names each device has been addressed by: its id, and `<namespace>/<name>` when a KubeEdge 1.17+ mapper
 * uses the namespaced topics. What DeviceTwin publishes on its own (deltas after a cloud update, attribute changes)
 * goes to every known name, so both kinds of mapper hear it.
 *
 * @module
 */

/** Known topic names per device id (in memory; relearnt from the next request after a restart). */
export class DeviceAliases {
  readonly #names = new Map<string, Set<string>>();

  /** Notes that device `id` was addressed as `ident`. */
  learn(id: string, ident: string): void {
    if (ident === id) return;
    let set = this.#names.get(id);
    if (!set) this.#names.set(id, (set = new Set()));
    set.add(ident);
  }

  /** The id first, then every other name the device was addressed by. */
  namesOf(id: string): string[] {
    return [id, ...(this.#names.get(id) ?? [])];
  }

  forget(id: string): void {
    this.#names.delete(id);
  }
}
