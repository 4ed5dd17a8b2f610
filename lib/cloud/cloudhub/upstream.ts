/**
 * Where an edge->cloud message goes on the cloud bus, by route group, as KubeEdge routes it.
 *
 * @module
 */
import { Group, ModuleName, STREAM_GROUP, STREAM_MODULE, USAGE_GROUP, USAGE_MODULE } from "../../model/index.ts";

/** Route group -> cloud module. `meta` and `resource` are node and pod reports and queries; `twin` is devices. */
export const UPSTREAM_ROUTES: Readonly<Record<string, string>> = {
  [Group.meta]: ModuleName.edgeController,
  [Group.resource]: ModuleName.edgeController,
  [Group.twin]: ModuleName.deviceController,
  [STREAM_GROUP]: STREAM_MODULE,
  [USAGE_GROUP]: USAGE_MODULE,
};

/** The cloud module for an edge message's group, or undefined when the group has no route. */
export function upstreamTarget(group: string): string | undefined {
  return Object.hasOwn(UPSTREAM_ROUTES, group) ? UPSTREAM_ROUTES[group] : undefined;
}
