/**
 * How a Device looks to an edge node: the node it is bound to, its membership entry, the
 * expected values its desired twins become, and the status twins after the edge reports actual values.
 *
 * @module
 */
import type { DeviceCR, DeviceModelCR, EdgeDevice, MsgTwin, StatusTwin } from "./types.ts";

/** `namespace/name` of an object. */
export function objectKey(o: { metadata?: { namespace?: string; name?: string } }): string {
  return `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;
}

/** The node a Device is bound to: `spec.nodeSelector.nodeSelectorTerms[0].matchExpressions[0].values[0]`, or `spec.nodeName`. */
export function nodeOf(d: DeviceCR): string | undefined {
  const fromSelector = d.spec?.nodeSelector?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values?.[0];
  const node = fromSelector || d.spec?.nodeName;
  return typeof node === "string" && node ? node : undefined;
}

/** The Device's resourceVersion as the twin's cloud version (0 when not numeric, as on some clusters). */
export function cloudVersion(d: DeviceCR): number {
  const n = Number(d.metadata?.resourceVersion);
  return Number.isSafeInteger(n) ? n : 0;
}

/** The model a Device refers to. */
export type ModelLookup = (namespace: string, name: string) => DeviceModelCR | undefined;

/** A twin's value type: its desired metadata type, else its model property's type, else "string". */
export function twinType(d: DeviceCR, property: string, models: ModelLookup): string {
  const twin = d.status?.twins?.find((t) => t.propertyName === property);
  const fromTwin = twin?.desired?.metadata?.type;
  if (fromTwin) return fromTwin;
  const modelName = d.spec?.deviceModelRef?.name;
  const model = modelName ? models(d.metadata?.namespace ?? "", modelName) : undefined;
  const prop = model?.spec?.properties?.find((p) => p.name === property);
  const kind = prop?.type && Object.keys(prop.type)[0];
  return kind || "string";
}

function expectedTwin(d: DeviceCR, t: StatusTwin, models: ModelLookup, now: number): MsgTwin {
  return {
    expected: { value: t.desired?.value ?? "", metadata: { timestamp: now } },
    optional: false,
    metadata: { type: twinType(d, t.propertyName, models) },
    expected_version: { cloud: cloudVersion(d), edge: 0 },
  };
}

/** The desired twins of a Device as expected values (twins without a desired value are left out). */
export function expectedTwins(d: DeviceCR, models: ModelLookup, now = Date.now()): Record<string, MsgTwin> {
  const out: Record<string, MsgTwin> = {};
  for (const t of d.status?.twins ?? []) if (t.propertyName && t.desired) out[t.propertyName] = expectedTwin(d, t, models, now);
  return out;
}

/** The membership entry of a Device: `{id: name, name, description (label), twin}`. */
export function edgeDevice(d: DeviceCR, models: ModelLookup, now = Date.now()): EdgeDevice {
  const name = d.metadata?.name ?? "";
  const out: EdgeDevice = { id: name, name };
  const description = d.metadata?.labels?.description;
  if (description) out.description = description;
  const twin = expectedTwins(d, models, now);
  if (Object.keys(twin).length) out.twin = twin;
  return out;
}

const desiredKey = (t: StatusTwin) => JSON.stringify([t.desired?.value ?? null, t.desired?.metadata?.type ?? null]);

/**
 * What changed in the desired twins between two versions of a Device.
 *
 * @returns every desired twin of `now` (so a newer message may replace an older one) plus the removed ones typed
 * `deleted`, or undefined when no desired value changed
 */
export function desiredUpdate(before: DeviceCR, after: DeviceCR, models: ModelLookup, now = Date.now()): Record<string, MsgTwin> | undefined {
  const old = new Map((before.status?.twins ?? []).filter((t) => t.desired).map((t) => [t.propertyName, desiredKey(t)]));
  const cur = (after.status?.twins ?? []).filter((t) => t.desired);
  const changed = cur.length !== old.size || cur.some((t) => old.get(t.propertyName) !== desiredKey(t));
  if (!changed) return undefined;
  const twin = expectedTwins(after, models, now);
  const curNames = new Set(cur.map((t) => t.propertyName));
  for (const t of before.status?.twins ?? []) {
    if (!t.desired || curNames.has(t.propertyName)) continue;
    twin[t.propertyName] = {
      expected: { value: t.desired.value ?? "", metadata: { timestamp: now } },
      optional: false,
      metadata: { type: "deleted" },
      expected_version: { cloud: cloudVersion(after), edge: 0 },
    };
  }
  return twin;
}

/**
 * The Device's status twins with the edge's actual values written to `reported` (`{value, metadata: {timestamp,
 * type}}`); a twin the Device does not list yet is added.
 *
 * @returns the new twins list, or undefined when nothing would change
 */
export function withReported(d: DeviceCR, actual: Record<string, MsgTwin | null>, now = Date.now()): StatusTwin[] | undefined {
  const twins = structuredClone(d.status?.twins ?? []);
  let changed = false;
  for (const [name, t] of Object.entries(actual)) {
    const value = t?.actual?.value;
    if (typeof value !== "string") continue;
    const metadata: Record<string, string> = { timestamp: String(t?.actual?.metadata?.timestamp ?? now) };
    const type = t?.metadata?.type;
    if (type) metadata.type = type;
    const reported = { value, metadata };
    const entry = twins.find((x) => x.propertyName === name);
    if (!entry) {
      twins.push({ propertyName: name, reported });
      changed = true;
    } else if (entry.reported?.value !== value || entry.reported?.metadata?.timestamp !== metadata.timestamp || entry.reported?.metadata?.type !== metadata.type) {
      entry.reported = reported;
      changed = true;
    }
  }
  return changed ? twins : undefined;
}
