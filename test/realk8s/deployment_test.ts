import { test } from "uvu";
import * as assert from "uvu/assert";
import { docker, nodeContainers, removeNodeContainers } from "../e2e/_engine.ts";
import { type TestDocker, useTestDockerWithBusybox } from "../support/docker.ts";
import { waitUntil } from "../support/process.ts";
import { checkOn, createRealCloud, readyOf, type RealCloud, type RealEdge } from "./_cloud.ts";

// A Deployment against the real control plane: the real Deployment and ReplicaSet controllers make the pod, the real
// scheduler binds it to the edge node, edge_core runs it on Docker; its ConfigMap and Secret reach the container and
// follow live updates; the container gets the Services' link variables; kubectl logs/exec behave as README says; delete leaves nothing in Terminating.

const NS = `workload-${process.pid}`;
let rc: RealCloud | undefined;
let dk: TestDocker | undefined;
let edge: RealEdge;
let failed = false;
let setupError: unknown;

const getJson = async (args: string[]) => JSON.parse(await rc!.kubectl([...args, "-o", "json"]));
const pods = async () => (await getJson(["-n", NS, "get", "pods", "-l", "app=greeter"])).items as any[];

function objects(greeting: string, token: string) {
  return { apiVersion: "v1", kind: "List", items: [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "greeting", namespace: NS }, data: { greeting } },
    { apiVersion: "v1", kind: "Secret", metadata: { name: "token", namespace: NS }, stringData: { token } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "greeter", namespace: NS }, spec: { selector: { app: "greeter" }, ports: [{ name: "http", port: 80, targetPort: 8080 }] } },
  ] };
}

const deployment = () => ({
  apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "greeter", namespace: NS },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "greeter" } },
    template: {
      metadata: { labels: { app: "greeter" } },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": edge.name },
        terminationGracePeriodSeconds: 2,
        containers: [{
          name: "main", image: "kubeedge-ts/busybox:latest", imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", "echo greeter started; exec sleep 3600"],
          volumeMounts: [{ name: "config", mountPath: "/etc/greeter" }, { name: "secret", mountPath: "/etc/secret", readOnly: true }],
        }],
        volumes: [{ name: "config", configMap: { name: "greeting" } }, { name: "secret", secret: { secretName: "token" } }],
      },
    },
  },
});

/** A file in the pod's running app container, read through the engine (not through our code). */
async function fileInContainer(path: string): Promise<string> {
  const app = (await nodeContainers(dk!.socketPath, edge.name)).find((c) => c.role === "app" && c.state === "running");
  if (!app) return "(no running app container)";
  return (await docker(dk!.socketPath, ["exec", app.id, "cat", path]).catch((e: Error) => e.message)).trim();
}

test.before(async () => {
  try {
    rc = await createRealCloud();
    if (!rc) return;
    dk = await useTestDockerWithBusybox();
    await rc.startCloud();
    edge = await rc.addEdge("workload", { dockerSocket: dk.socketPath });
    await edge.start();
    await waitUntil(async () => readyOf(await getJson(["get", "node", edge.name]))?.status === "True", 30_000, `node ${edge.name} Ready`);
    rc.own(NS);
    await rc.kubectl(["create", "namespace", NS]);
  } catch (e) {
    // uvu drops an error thrown by a before hook: keep it for the first test to report
    setupError = e;
    failed = true;
  }
});

test.after(async () => {
  if (!rc) return;
  if (failed) console.error(`logs kept in ${rc.dumpLogs()}`);
  await rc.close(failed);
  // a stopped edge_core leaves its pods running (edge autonomy): remove what a failed test left in the shared engine
  if (dk && edge) await removeNodeContainers(dk.socketPath, edge.name);
  await dk?.release();
});

const check = checkOn(() => ({ rc, setupError }), () => (failed = true));

check("a Deployment is scheduled by the real scheduler onto the edge node and runs there on Docker", async () => {
  await rc!.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(objects("hello-1", "s3cret-1")) });
  await rc!.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(deployment()) });
  const pod = await waitUntil(async () => {
    const [p] = await pods();
    return p?.spec.nodeName === edge.name && p.status.phase === "Running" && readyOf(p)?.status === "True" ? p : undefined;
  }, 60_000, "the greeter pod Running and Ready on the edge node");
  const table = await rc!.kubectl(["-n", NS, "get", "pods", "-o", "wide"]);
  assert.match(table, new RegExp(`${pod.metadata.name}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+\\S+\\s+${edge.name}`));
  await waitUntil(async () => (await getJson(["-n", NS, "get", "deployment", "greeter"])).status.availableReplicas === 1, 30_000, "the Deployment available");
  const running = (await nodeContainers(dk!.socketPath, edge.name)).filter((c) => c.state === "running");
  assert.ok(running.some((c) => c.role === "app" && c.pod === pod.metadata.name), `the engine runs the pod's container: ${JSON.stringify(running)}`);
});

check("the container has the link variables of its namespace's Service and of default/kubernetes, as the kubelet sets them", async () => {
  const svcIP = (await getJson(["-n", NS, "get", "service", "greeter"])).spec.clusterIP;
  const apiIP = (await getJson(["-n", "default", "get", "service", "kubernetes"])).spec.clusterIP;
  const app = (await nodeContainers(dk!.socketPath, edge.name)).find((c) => c.role === "app" && c.state === "running");
  assert.ok(app, "a running app container");
  const env: string[] = JSON.parse(await docker(dk!.socketPath, ["inspect", app!.id, "--format", "{{json .Config.Env}}"]));
  for (const want of [`GREETER_SERVICE_HOST=${svcIP}`, "GREETER_SERVICE_PORT_HTTP=80", `GREETER_PORT_80_TCP_ADDR=${svcIP}`, `KUBERNETES_SERVICE_HOST=${apiIP}`, "KUBERNETES_SERVICE_PORT=443"]) {
    assert.ok(env.includes(want), `container env has ${want}: ${env.join(" ")}`);
  }
});

check("the ConfigMap and Secret reach the container's files and a live update follows", async () => {
  await waitUntil(async () => (await fileInContainer("/etc/greeter/greeting")) === "hello-1", 20_000, "greeting hello-1 in the container");
  assert.is(await fileInContainer("/etc/secret/token"), "s3cret-1");
  await rc!.kubectl(["apply", "-f", "-"], { stdin: JSON.stringify(objects("hello-2", "s3cret-2")) });
  await waitUntil(async () => (await fileInContainer("/etc/greeter/greeting")) === "hello-2", 30_000, "greeting hello-2 in the container");
  await waitUntil(async () => (await fileInContainer("/etc/secret/token")) === "s3cret-2", 30_000, "token s3cret-2 in the container");
});

check("kubectl logs/exec: the real apiserver dials the node's kubelet endpoint, which edge_core does not serve; docker on the edge host does", async () => {
  const [pod] = await pods();
  const n = await getJson(["get", "node", edge.name]);
  const endpoint = `${n.status.addresses.find((a: any) => a.type === "InternalIP").address}:${n.status.daemonEndpoints.kubeletEndpoint.Port}`;
  const logs = await rc!.kubectlRaw(["-n", NS, "logs", pod.metadata.name]);
  assert.is.not(logs.code, 0);
  assert.ok(logs.stderr.includes(endpoint), `kubectl logs should fail dialling ${endpoint}: ${logs.stderr}`);
  const exec = await rc!.kubectlRaw(["-n", NS, "exec", pod.metadata.name, "--", "true"]);
  assert.is.not(exec.code, 0);
  assert.ok(exec.stderr.includes(endpoint), `kubectl exec should fail dialling ${endpoint}: ${exec.stderr}`);
  // what README tells a user to do instead, on the edge host
  const id = (await docker(dk!.socketPath, ["ps", "-q", "--filter", `label=kubeedge-ts.pod.name=${pod.metadata.name}`, "--filter", "label=kubeedge-ts.container.name=main"])).trim();
  assert.match(await docker(dk!.socketPath, ["logs", id]), /greeter started/);
  assert.is((await docker(dk!.socketPath, ["exec", id, "cat", "/etc/greeter/greeting"])).trim(), "hello-2");
});

check("deleting the Deployment removes its pod from the API (nothing left Terminating) and its containers", async () => {
  await rc!.kubectl(["-n", NS, "delete", "deployment", "greeter", "--wait=false"]);
  await waitUntil(async () => (await pods()).length === 0, 60_000, "no greeter pod left, Terminating or not");
  await waitUntil(async () => (await nodeContainers(dk!.socketPath, edge.name)).filter((c) => c.role === "app").length === 0, 30_000, "the app container removed from the engine");
});

check("cloud_core, running as the ServiceAccount of conf/kubernetes/, was denied nothing", async () => {
  assert.equal(rc!.rbacDenials(), []);
});

test.run();
