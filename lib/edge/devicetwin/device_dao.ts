/**
 * DeviceTwin's SQL: the `device`, `device_attr` and `device_twin` tables of KubeEdge's edge database, plus `device_sync`,
 * which counts each device's changes and how many of them the cloud has (its "dirty" mark).
 *
 * @module
 */
import type { SqlValue, Tx } from "../../store/types.ts";
import { type Twin, twinColumns, twinFromRow, type TwinRow } from "./twin_model.ts";
import type { MsgAttr } from "./types.ts";

/** Reads work on the store and inside a transaction alike. */
export type Reader = Pick<Tx, "all" | "get">;

const SCHEMA = [
  "CREATE TABLE IF NOT EXISTS device (id TEXT PRIMARY KEY, name TEXT, description TEXT, state TEXT, last_online TEXT)",
  `CREATE TABLE IF NOT EXISTS device_attr (id INTEGER PRIMARY KEY AUTOINCREMENT, deviceid TEXT NOT NULL, name TEXT NOT NULL,
     description TEXT, value TEXT, optional INTEGER, attr_type TEXT, metadata TEXT, UNIQUE (deviceid, name))`,
  `CREATE TABLE IF NOT EXISTS device_twin (id INTEGER PRIMARY KEY AUTOINCREMENT, deviceid TEXT NOT NULL, name TEXT NOT NULL,
     description TEXT, expected TEXT, actual TEXT, expected_meta TEXT, actual_meta TEXT, expected_version TEXT,
     actual_version TEXT, optional INTEGER, attr_type TEXT, metadata TEXT, UNIQUE (deviceid, name))`,
  // seq counts changes the cloud should hear about, sent how many it has: seq > sent means dirty
  `CREATE TABLE IF NOT EXISTS device_sync (deviceid TEXT PRIMARY KEY, twin_seq INTEGER NOT NULL DEFAULT 0,
     twin_sent INTEGER NOT NULL DEFAULT 0, state_seq INTEGER NOT NULL DEFAULT 0, state_sent INTEGER NOT NULL DEFAULT 0)`,
];

/** Creates the tables when missing. */
export function createTables(tx: Tx): void {
  for (const sql of SCHEMA) tx.run(sql);
}

/** A `device` row. */
export type DeviceRow = { id: string; name: string | null; description: string | null; state: string | null; last_online: string | null };

/** All devices, by id. */
export function listDevices(q: Reader): DeviceRow[] {
  return q.all<DeviceRow>("SELECT id, name, description, state, last_online FROM device ORDER BY id");
}

/** Adds a device and its sync counters. */
export function insertDevice(tx: Tx, d: { id: string; name: string; description: string; state: string }): void {
  tx.run("INSERT INTO device (id, name, description, state, last_online) VALUES (?, ?, ?, ?, '')", [d.id, d.name, d.description, d.state]);
  tx.run("INSERT OR IGNORE INTO device_sync (deviceid) VALUES (?)", [d.id]);
}

/** Removes a device with its attributes, twins and counters. */
export function deleteDevice(tx: Tx, id: string): void {
  tx.run("DELETE FROM device_twin WHERE deviceid = ?", [id]);
  tx.run("DELETE FROM device_attr WHERE deviceid = ?", [id]);
  tx.run("DELETE FROM device_sync WHERE deviceid = ?", [id]);
  tx.run("DELETE FROM device WHERE id = ?", [id]);
}

/** Sets a device's state, last-online time and state change count. */
export function setDeviceState(tx: Tx, id: string, state: string, lastOnline: string, stateSeq: number): void {
  tx.run("UPDATE device SET state = ?, last_online = ? WHERE id = ?", [state, lastOnline, id]);
  tx.run("UPDATE device_sync SET state_seq = ? WHERE deviceid = ?", [stateSeq, id]);
}

/** A device's twins, by name. */
export function loadTwins(q: Reader, deviceId: string): Map<string, Twin> {
  const rows = q.all<TwinRow>(
    `SELECT name, description, expected, actual, expected_meta, actual_meta, expected_version, actual_version, optional,
       attr_type, metadata FROM device_twin WHERE deviceid = ? ORDER BY id`,
    [deviceId],
  );
  return new Map(rows.map((r) => [r.name, twinFromRow(r)]));
}

const UPSERT_TWIN = `INSERT INTO device_twin (deviceid, name, description, expected, actual, expected_meta, actual_meta,
    expected_version, actual_version, optional, attr_type, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (deviceid, name) DO UPDATE SET description = excluded.description, expected = excluded.expected,
    actual = excluded.actual, expected_meta = excluded.expected_meta, actual_meta = excluded.actual_meta,
    expected_version = excluded.expected_version, actual_version = excluded.actual_version,
    optional = excluded.optional, attr_type = excluded.attr_type, metadata = excluded.metadata`;

/** The columns {@link twinColumns} fills, in its order. */
const TWIN_COLUMNS = ["description", "expected", "actual", "expected_meta", "actual_meta", "expected_version", "actual_version", "optional", "attr_type", "metadata"];

/**
 * Stores changed twins. A twin in `before` is updated in the columns that changed only, which keeps the journal line
 * of a typical report (actual value, its time and version) short.
 */
export function writeTwins(tx: Tx, deviceId: string, twins: Iterable<Twin>, before: ReadonlyMap<string, Twin>): void {
  for (const t of twins) {
    const cols = twinColumns(t);
    const old = before.get(t.name);
    if (!old) {
      tx.run(UPSERT_TWIN, [deviceId, t.name, ...cols]);
      continue;
    }
    const prev = twinColumns(old);
    const changed = cols.map((_, i) => i).filter((i) => cols[i] !== prev[i]);
    if (!changed.length) continue;
    const set = changed.map((i) => `${TWIN_COLUMNS[i]} = ?`).join(", ");
    tx.run(`UPDATE device_twin SET ${set} WHERE deviceid = ? AND name = ?`, [...changed.map((i) => cols[i]!), deviceId, t.name]);
  }
}

/** Sets a device's twin change count. */
export function setTwinSeq(tx: Tx, deviceId: string, twinSeq: number): void {
  tx.run("UPDATE device_sync SET twin_seq = ? WHERE deviceid = ?", [twinSeq, deviceId]);
}

/** A `device_attr` row. */
type AttrRow = { name: string; value: string | null; optional: number | null; attr_type: string | null };

/** A device's attributes in payload form. */
export function loadAttrs(q: Reader, deviceId: string): Record<string, MsgAttr> {
  const out: Record<string, MsgAttr> = {};
  for (const r of q.all<AttrRow>("SELECT name, value, optional, attr_type FROM device_attr WHERE deviceid = ? ORDER BY id", [deviceId])) {
    out[r.name] = { value: r.value ?? "", optional: r.optional !== 0, metadata: { type: r.attr_type ?? "" } };
  }
  return out;
}

/**
 * Replaces a device's attributes with `attrs` (the cloud's full list).
 *
 * @returns the attributes that changed, null for removed ones (empty when nothing changed)
 */
export function replaceAttrs(tx: Tx, deviceId: string, attrs: Record<string, MsgAttr | null>): Record<string, MsgAttr | null> {
  const current = loadAttrs(tx, deviceId);
  const changed: Record<string, MsgAttr | null> = {};
  for (const [name, a] of Object.entries(attrs)) {
    if (!a) continue;
    const type = a.metadata?.type ?? current[name]?.metadata?.type ?? "string";
    const optional = a.optional ?? current[name]?.optional ?? true;
    const cur = current[name];
    if (cur && cur.value === a.value && cur.metadata?.type === type && cur.optional === optional) continue;
    const params: SqlValue[] = [deviceId, name, a.value, optional ? 1 : 0, type];
    tx.run(`INSERT INTO device_attr (deviceid, name, description, value, optional, attr_type, metadata) VALUES (?, ?, '', ?, ?, ?, '{}')
      ON CONFLICT (deviceid, name) DO UPDATE SET value = excluded.value, optional = excluded.optional, attr_type = excluded.attr_type`, params);
    changed[name] = { value: a.value, optional, metadata: { type } };
  }
  for (const name of Object.keys(current)) {
    if (attrs[name]) continue;
    tx.run("DELETE FROM device_attr WHERE deviceid = ? AND name = ?", [deviceId, name]);
    changed[name] = null;
  }
  return changed;
}

/** Sync counters of one device. */
export type SyncRow = { deviceid: string; twin_seq: number; twin_sent: number; state_seq: number; state_sent: number };

/** Sync counters of every device. */
export function loadSyncRows(q: Reader): SyncRow[] {
  return q.all<SyncRow>("SELECT deviceid, twin_seq, twin_sent, state_seq, state_sent FROM device_sync");
}

/** Records that the cloud has a device's changes up to these counts. */
export function markSent(tx: Tx, deviceId: string, twinSeq: number, stateSeq: number): void {
  tx.run("UPDATE device_sync SET twin_sent = max(twin_sent, ?), state_sent = max(state_sent, ?) WHERE deviceid = ?", [twinSeq, stateSeq, deviceId]);
}
