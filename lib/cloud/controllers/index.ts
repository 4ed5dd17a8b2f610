/**
 * The controllers a real cluster runs, for cloud_core's embedded Kubernetes API: Deployment -> ReplicaSet -> pods,
 * the scheduler (pods/binding), node lifecycle (Ready=Unknown and unreachable taints, no eviction), and garbage
 * collection through ownerReferences. Consumes no bus messages; talks to Kubernetes only through client-node.
 *
 * @module
 */
export { Controllers } from "./controllers.ts";
export type { ControllersOptions } from "./controllers.ts";
