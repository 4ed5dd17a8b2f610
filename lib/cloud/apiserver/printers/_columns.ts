/** Column definitions and cell helpers shared by the per-kind printers. */
import { humanDuration } from "./human_duration.ts";
import type { ColumnType, TableColumnDefinition } from "./types.ts";

/** Builds a column definition; `wide` columns get priority 1, so kubectl shows them only with `-o wide`. */
export function column(
  name: string,
  description: string,
  opts: { type?: ColumnType; format?: string; wide?: boolean } = {},
): TableColumnDefinition {
  return { name, type: opts.type ?? "string", format: opts.format ?? "", description, priority: opts.wide ? 1 : 0 };
}

/** The object name column; `format: name` tells kubectl which cell is the name. */
export const NAME_COLUMN = column("Name", "The object's name, unique within its namespace.", { format: "name" });
/** Time since creation, as HumanDuration text. */
export const AGE_COLUMN = column("Age", "Time since the object was created (creationTimestamp).");
/** Wide column of workload printers: comma-joined container names of the pod template. */
export const CONTAINERS_COLUMN = column("Containers", "Names of the containers in the pod template.", { wide: true });
/** Wide column of workload printers: comma-joined images of the pod template. */
export const IMAGES_COLUMN = column("Images", "Images of the containers in the pod template.", { wide: true });

/** The shape the printers read from every object. */
export interface Meta {
  name?: string;
  namespace?: string;
  creationTimestamp?: string | null;
  deletionTimestamp?: string | null;
  labels?: Record<string, string>;
  resourceVersion?: string;
}

/** HumanDuration of the time since `timestamp`, or `<unknown>` without one (printers.go translateTimestampSince). */
export function ageSince(timestamp: string | null | undefined, now: Date): string {
  if (!timestamp) return "<unknown>";
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return "<unknown>";
  return humanDuration(now.getTime() - at);
}

/** `k=v,k2=v2` sorted by key, or `<none>` (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return "<none>";
  return keys.map((k) => `${k}=${labels![k]}`).join(",");
}

/** A metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/**
 * The selector as text, requirements sorted by key: `app=web,tier in (a,b),!gone` (labels.Selector String).
 * Empty or absent selectors give "". An unknown operator gives `undefined`: each printer has its own text for that.
 */
export function formatLabelSelector(selector: LabelSelector | undefined | null): string | undefined {
  const parts: { key: string; text: string }[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) parts.push({ key, text: `${key}=${value}` });
  for (const e of selector?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(",");
    switch (e.operator) {
      case "In": parts.push({ key: e.key, text: `${e.key} in (${values})` }); break;
      case "NotIn": parts.push({ key: e.key, text: `${e.key} notin (${values})` }); break;
      case "Exists": parts.push({ key: e.key, text: e.key }); break;
      case "DoesNotExist": parts.push({ key: e.key, text: `!${e.key}` }); break;
      default: return undefined;
    }
  }
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return parts.map((p) => p.text).join(",");
}

/** The two container fields the workload printers show. */
export interface ContainerNameImage { name?: string; image?: string }

/** Comma-joined container names and images of a pod template (printers.go layoutContainerCells). */
export function layoutContainers(containers: ContainerNameImage[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? "").join(","), list.map((c) => c.image ?? "").join(",")];
}
