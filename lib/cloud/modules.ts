/**
 * The one list of cloud modules and what each gets (KubeEdge's registerModules, cloud side). cloudhub goes first so
 * the controllers can send from their first message; it stops last.
 *
 * @module
 */
import type { KubeConfig } from "@kubernetes/client-node";
import { certValidity, type CloudConfig } from "../config/index.ts";
import type { Bus, Module } from "../core/index.ts";
import type { Logger } from "../log/index.ts";
import type { CloudPki } from "../pki/index.ts";
import { CertSigner } from "./certsigner/index.ts";
import { CloudHub } from "./cloudhub/index.ts";
import { Controllers } from "./controllers/index.ts";
import { DeviceController } from "./devicecontroller/index.ts";
import { EdgeController } from "./edgecontroller/index.ts";
import { createJoinHandler } from "./join/index.ts";
import { PodStreamsCloud } from "./podstreams/index.ts";
import { Revocation, RevocationView } from "./revocation/index.ts";
import { ResourceMetrics } from "./resourcemetrics/index.ts";
import { createServiceBusProxy } from "./servicebus/index.ts";

/** What the process hands the cloud module constructors. */
export type CloudDeps = {
  bus: Bus;
  kubeConfig: KubeConfig;
  pki: CloudPki;
  /** Bearer token of the ServiceBus proxy on cloudhub's port. */
  serviceBusToken: string;
  /** True when the embedded API runs, which needs the controllers a real cluster would run. */
  embedded: boolean;
  log: Logger;
};

/** Builds the cloud modules for a config. */
export function cloudModules(config: CloudConfig, deps: CloudDeps): Module[] {
  const { log } = deps;
  const hub = config.cloudHub;
  // the list the revocation module keeps and cloudhub consults at every link upgrade
  const revoked = new RevocationView();
  const proxy = createServiceBusProxy({ bus: deps.bus, token: deps.serviceBusToken, log: log.child("servicebus") });
  const join = createJoinHandler({ pki: deps.pki, nodeCertValidityMs: certValidity(config).nodeMs, kubeConfig: deps.kubeConfig, namespace: config.kubernetes.namespace, log: log.child("join") });
  return [
    new CloudHub({
      address: { host: hub.address.host, port: hub.address.port },
      tls: { cert: deps.pki.serverCert, key: deps.pki.serverKey, ca: deps.pki.caCert },
      nodeLimit: hub.nodeLimit,
      keepaliveTimeoutMs: hub.keepaliveTimeout,
      maxFrameBytes: hub.maxFrameBytes,
      maxInflightBytes: hub.maxInflightBytes,
      maxInflightBytesPerLink: hub.maxInflightBytesPerLink,
      maxPendingHandshakes: hub.maxPendingHandshakes,
      maxPendingPerAddress: hub.maxPendingPerAddress,
      preHandshakeIdleMs: hub.preHandshakeIdleTimeout,
      handshakeTimeoutMs: hub.handshakeTimeout,
      isRevoked: (node, issuedAtMs) => revoked.refuses(node, issuedAtMs),
      // the join endpoints (strangers with a token) and the ServiceBus proxy (bearer token) share the link's port
      httpHandler: async (req, res) => (await join(req, res)) || proxy(req, res),
      log: log.child("cloudhub"),
    }),
    new Revocation({ kubeConfig: deps.kubeConfig, namespace: config.kubernetes.namespace, view: revoked, log: log.child("revocation") }),
    new EdgeController({ kubeConfig: deps.kubeConfig, nodeGracePeriodMs: config.edgeController.nodeGracePeriod, log: log.child("edgecontroller") }),
    new DeviceController({ kubeConfig: deps.kubeConfig, log: log.child("devicecontroller") }),
    new PodStreamsCloud({ log: log.child("podstreams") }),
    new CertSigner({ pki: deps.pki, validityMs: certValidity(config).nodeMs, log: log.child("certsigner") }),
    new ResourceMetrics({ log: log.child("resourcemetrics") }),
    // a real cluster runs its own controller manager and scheduler; the embedded API needs ours
    ...(deps.embedded
      ? [new Controllers({ kubeConfig: deps.kubeConfig, nodeMonitorGracePeriodMs: config.edgeController.nodeGracePeriod, log: log.child("controllers") })]
      : []),
  ];
}
