/**
 * The embedded Kubernetes API server: a Kubernetes-compatible HTTPS API over `lib/store` that real kubectl
 * (1.30+) and `@kubernetes/client-node` 1.4 use as they use a cluster. cloud_core starts it when no kubeconfig is
 * configured and points its own client-node at it (DESIGN: one code path).
 *
 * Serves core/v1 namespaces, nodes, pods (status, binding, log, exec), configmaps, secrets, services, endpoints,
 * events, serviceaccounts (token); apps/v1 deployments and replicasets (status, scale); coordination.k8s.io/v1 leases;
 * apiextensions.k8s.io/v1 CRDs and the custom resources they define (Device and DeviceModel installed at start).
 * Like a real cluster, every namespace has a `default` ServiceAccount and `kube-root-ca.crt`, new pods get the
 * `kube-api-access-*` volume, and service-account tokens from TokenRequest are accepted as bearer credentials.
 *
 * @module
 */
export { startApiServer, SYSTEM_NAMESPACES } from "./api_server.ts";
export type { ApiServer, ApiServerOptions } from "./api_server.ts";
export { DEFAULT_CRD_DIR, loadCrdManifests } from "./crds.ts";
export { KUBECONFIG_FILE, kubeconfigYaml, TOKEN_FILE } from "./kubeconfig.ts";
export type { TlsPem } from "./server.ts";
export { VERSION_INFO } from "./server.ts";
export type {
  ExecSession, PodExecOptions, PodLogOptions, PodStreams, PodTarget, ResourceUsageSource, TerminalSize,
} from "./types.ts";
export { METRICS_GROUP, metricsDocument, metricsResources } from "./metrics_api.ts";
export type { MetricsObjects } from "./metrics_api.ts";
export { parseRoute } from "./route.ts";
export { StatusError } from "./status_error.ts";
