/**
 * Reading `status.conditions` of any object without trusting its shape: a stored object may hold anything a client
 * wrote (a string, an array of numbers), and a reader that assumes an array of conditions throws on every event and
 * every restart. Only well-formed entries (an object with a string `type`) are returned.
 *
 * @module
 */
import { isPlainObject } from "./objects.ts";

/** A condition as readers use it; other fields pass through untyped. */
export type Condition = { type: string; status?: string; reason?: string; message?: string; lastHeartbeatTime?: unknown; lastTransitionTime?: unknown; [k: string]: unknown };

/**
 * The well-formed conditions of an object's status.
 *
 * @param status `obj.status`, whatever it holds
 * @returns the entries that are objects with a string `type`, or an empty list
 */
export function conditionsOf(status: unknown): Condition[] {
  const list: unknown = isPlainObject(status) ? status.conditions : undefined;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).filter((c): c is Condition => isPlainObject(c) && typeof c.type === "string");
}

/**
 * One condition of an object's status by type.
 *
 * @returns the first well-formed condition of that type, or undefined
 */
export function findCondition(status: unknown, type: string): Condition | undefined {
  return conditionsOf(status).find((c) => c.type === type);
}
