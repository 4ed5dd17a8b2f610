/**
 * What every resource handler gets: the server's parts and limits, and the request it serves.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../../../log/index.ts";
import type { Deleter } from "../deleter.ts";
import type { ObjectService } from "../object_service.ts";
import type { ServiceAccountTokens } from "../sa_tokens.ts";
import type { Registry } from "../registry.ts";
import type { ResourceRoute } from "../route.ts";
import type { ObjectStorage } from "../storage.ts";
import type { PodStreams, ResourceInfo, ResourceUsageSource } from "../types.ts";
import type { WatchHub } from "../watch_hub.ts";

/** Limits of the request handlers. */
export type HandlerLimits = {
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Bytes a watch may have waiting in its socket before it is closed (the client re-watches). */
  maxWatchBufferBytes: number;
  /** How long a watch without `timeoutSeconds` stays open, in ms. */
  watchTimeoutMs: number;
  /** How often a watch that allows bookmarks gets one, in ms. */
  bookmarkIntervalMs: number;
};

/** The server's parts, shared by all handlers. */
export type ApiContext = {
  registry: Registry;
  storage: ObjectStorage;
  service: ObjectService;
  deleter: Deleter;
  hub: WatchHub;
  log: Logger;
  limits: HandlerLimits;
  /** Signs and checks service-account tokens. */
  tokens: ServiceAccountTokens;
  /** The log/exec backend, when one is connected. */
  podStreams(): PodStreams | undefined;
  /** The nodes' usage reports behind `metrics.k8s.io`, when connected. */
  resourceUsage(): ResourceUsageSource | undefined;
};

/** One request to a served resource. */
export type ResourceRequest = {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  route: ResourceRoute;
  info: ResourceInfo;
  /** The namespace of the URL; "" for cluster-scoped resources and cluster-wide lists. */
  namespace: string;
  /** The object name (object and subresource requests). */
  name: string;
};

/** A resource operation. */
export type Handler = (ctx: ApiContext, r: ResourceRequest) => Promise<void>;
