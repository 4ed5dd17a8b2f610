/** The Service printer: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR (printers.go printService). */
import { AGE_COLUMN, NAME_COLUMN, ageSince, column, formatLabels, type Meta } from "./_columns.ts";
import type { KindPrinter, TableCell } from "./types.ts";

interface Service {
  metadata?: Meta;
  spec?: {
    type?: string;
    clusterIP?: string;
    clusterIPs?: string[];
    externalIPs?: string[];
    externalName?: string;
    ports?: { port: number; protocol?: string; nodePort?: number }[];
    selector?: Record<string, string>;
  };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

function externalIP(svc: Service, type: string): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (type) {
    case "ClusterIP":
    case "NodePort":
      return external.length > 0 ? external.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress = new Set<string>();
      for (const i of svc.status?.loadBalancer?.ingress ?? []) {
        if (i.ip) ingress.add(i.ip);
        else if (i.hostname) ingress.add(i.hostname);
      }
      const all = [...[...ingress].sort(), ...external];
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return svc.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

function serviceCells(object: object, now: Date): TableCell[] {
  const svc = object as Service;
  // The API defaults type to ClusterIP, protocol to TCP and clusterIPs from clusterIP; absent values read as those.
  const type = svc.spec?.type || "ClusterIP";
  const clusterIP = svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || "<none>";
  const ports = (svc.spec?.ports ?? [])
    .map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol || "TCP"}` : `${p.port}/${p.protocol || "TCP"}`))
    .join(",");
  return [
    svc.metadata?.name ?? "",
    type,
    clusterIP,
    externalIP(svc, type),
    ports || "<none>",
    ageSince(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ];
}

/** Prints services the way the apiserver does for `kubectl get services`. */
export const servicePrinter: KindPrinter = {
  columns: [
    NAME_COLUMN,
    column("Type", "ClusterIP, NodePort, LoadBalancer or ExternalName."),
    column("Cluster-IP", "The service's first cluster IP, or None for a headless service."),
    column("External-IP", "External IPs, load balancer ingress addresses, or the external name."),
    column("Port(s)", "Ports as port[:nodePort]/protocol."),
    AGE_COLUMN,
    column("Selector", "The label selector of the pods behind the service.", { wide: true }),
  ],
  cells: serviceCells,
};
