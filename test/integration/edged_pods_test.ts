/**
 * Edged runs pods on a real dockerd: volumes, ports, shared network, environment, init containers, deletion, pulls.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { freePort, type Harness, IMAGE, makePod, startHarness } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";

let h: Harness;

test.before(async () => {
  h = await startHarness();
});

test.after(async () => {
  await h?.close();
});

test("Edged serves a ConfigMap volume over a hostPort and updates the file in place", async () => {
  const port = await freePort();
  await h.put("configmap", { metadata: { namespace: "default", name: "www" }, data: { "index.html": "hello v1\n" } });
  const pod = makePod("web", {
    containers: [{
      name: "httpd", image: IMAGE, imagePullPolicy: "IfNotPresent",
      command: ["httpd", "-f", "-p", "8080", "-h", "/www"],
      ports: [{ containerPort: 8080, hostPort: port }],
      volumeMounts: [{ name: "www", mountPath: "/www" }],
    }],
    volumes: [{ name: "www", configMap: { name: "www" } }],
  });
  await h.put("pod", pod);
  const st = await waitUntil(() => {
    const s = h.status("default", "web");
    return s?.phase === "Running" && s.conditions.find((c) => c.type === "Ready")?.status === "True" && s;
  }, 15_000, "web Running and Ready");
  assert.match(st.podIP ?? "", /^\d+\.\d+\.\d+\.\d+$/);
  assert.is(st.hostIP, "127.0.0.1");
  assert.match(st.containerStatuses[0].containerID ?? "", /^docker:\/\/[0-9a-f]{64}$/);
  assert.is(st.containerStatuses[0].restartCount, 0);
  const body = await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/`)).text(), 15_000, "page served");
  assert.is(body, "hello v1\n");
  await h.put("configmap", { metadata: { namespace: "default", name: "www" }, data: { "index.html": "hello v2\n" } });
  await waitUntil(async () => (await (await fetch(`http://127.0.0.1:${port}/`)).text()) === "hello v2\n", 10_000, "updated page");
});

test("containers of one pod reach each other over localhost", async () => {
  const pod = makePod("pair", {
    containers: [
      { name: "server", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "mkdir -p /s && echo from-server > /s/index.html && httpd -f -p 9090 -h /s"] },
      { name: "client", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "while :; do wget -q -O - http://127.0.0.1:9090/ && sleep 3600; sleep 0.2; done"] },
    ],
  });
  await h.put("pod", pod);
  await waitUntil(() => h.status("default", "pair")?.containerStatuses.every((c) => c.state.running), 15_000, "both running");
  const out = await waitUntil(async () => {
    let s = "";
    for await (const chunk of h.edged.podLogs("default", "pair", "client", {})) s += Buffer.from(chunk).toString();
    return s.includes("from-server") && s;
  }, 15_000, "client fetched");
  assert.ok(out.includes("from-server"));
  const st = h.status("default", "pair")!;
  assert.is(st.containerStatuses.length, 2);
});

test("env takes values, ConfigMap and Secret keys, envFrom and pod fields; secret files get their modes", async () => {
  await h.put("configmap", { metadata: { namespace: "default", name: "cfg" }, data: { color: "blue", size: "L" } });
  await h.put("secret", { metadata: { namespace: "default", name: "sec" }, data: { token: Buffer.from("s3cr3t").toString("base64") } });
  const pod = makePod("envy", {
    containers: [{
      name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", workingDir: "/tmp",
      command: ["sh", "-c", "env | sort; pwd; stat -c '%a' /sec/..data/token; cat /sec/token; echo; echo END; sleep 3600"],
      env: [
        { name: "PLAIN", value: "v-$(COLOR_FROM)" },
        { name: "COLOR_FROM", valueFrom: { configMapKeyRef: { name: "cfg", key: "color" } } },
        { name: "TOKEN", valueFrom: { secretKeyRef: { name: "sec", key: "token" } } },
        { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "POD_NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
        { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "EXPANDED", value: "c=$(COLOR_FROM)" },
      ],
      envFrom: [{ configMapRef: { name: "cfg" }, prefix: "CFG_" }],
      volumeMounts: [{ name: "sec", mountPath: "/sec" }],
    }],
    volumes: [{ name: "sec", secret: { secretName: "sec", defaultMode: 0o400 } }],
  });
  await h.put("pod", pod);
  const out = await waitUntil(async () => {
    let s = "";
    for await (const chunk of h.edged.podLogs("default", "envy", "main", {})) s += Buffer.from(chunk).toString();
    return s.includes("END") && s;
  }, 15_000, "env printed");
  const st = await waitUntil(() => h.status("default", "envy")?.podIP && h.status("default", "envy")!, 15_000, "envy status");
  assert.ok(out.includes("COLOR_FROM=blue\n"), out);
  assert.ok(out.includes("TOKEN=s3cr3t\n"));
  assert.ok(out.includes("POD_NAME=envy\n"));
  assert.ok(out.includes("POD_NS=default\n"));
  assert.ok(out.includes(`POD_IP=${st.podIP}\n`));
  assert.ok(out.includes(`NODE=${h.nodeName}\n`));
  assert.ok(out.includes("EXPANDED=c=blue\n"));
  assert.ok(out.includes("PLAIN=v-$(COLOR_FROM)\n"), "a variable defined later is not expanded");
  assert.ok(out.includes("CFG_color=blue\n") && out.includes("CFG_size=L\n"));
  assert.ok(out.includes("\n/tmp\n"), "workingDir");
  assert.ok(out.includes("\n400\n"), `secret file mode in: ${out}`);
});

test("init containers run in order before the app containers", async () => {
  const pod = makePod("inits", {
    containers: [{ name: "app", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "cat /work/log; sleep 3600"], volumeMounts: [{ name: "w", mountPath: "/work" }] }],
    initContainers: [
      { name: "first", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "echo first >> /work/log"], volumeMounts: [{ name: "w", mountPath: "/work" }] },
      { name: "second", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "echo second >> /work/log"], volumeMounts: [{ name: "w", mountPath: "/work" }] },
    ],
    volumes: [{ name: "w", emptyDir: {} }],
  });
  await h.put("pod", pod);
  const st = await waitUntil(() => {
    const s = h.status("default", "inits");
    return s?.phase === "Running" && s.containerStatuses[0].state.running && s;
  }, 15_000, "inits Running");
  assert.is(st.conditions.find((c) => c.type === "Initialized")?.status, "True");
  assert.equal(st.initContainerStatuses?.map((c) => c.state.terminated?.reason), ["Completed", "Completed"]);
  const out = await waitUntil(async () => {
    let s = "";
    for await (const chunk of h.edged.podLogs("default", "inits", "app", {})) s += Buffer.from(chunk).toString();
    return s;
  }, 15_000, "app output");
  assert.is(out, "first\nsecond\n");
});

test("deleting a pod stops it gracefully, removes its containers and files, and confirms", async () => {
  const pod = makePod("doomed", {
    // a grace period far longer than a stop on a loaded machine takes, so "did not wait for all of it" is clear
    terminationGracePeriodSeconds: 60,
    containers: [{ name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "trap 'echo bye; exit 0' TERM; while :; do sleep 1; done"] }],
  });
  await h.put("pod", pod);
  await waitUntil(() => h.status("default", "doomed")?.phase === "Running", 15_000, "doomed running");
  const started = Date.now();
  await h.put("pod", { ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date().toISOString(), deletionGracePeriodSeconds: 60 } });
  const confirm = await waitUntil(() => h.meta.deleted.find((d) => d.key === "default/doomed"), 45_000, "deletion confirmed");
  assert.is(confirm.UID, pod.metadata.uid);
  assert.ok(Date.now() - started < 45_000, "a container that exits on TERM does not wait for the whole grace period");
  const left = await h.runtime.listContainers({ "kubeedge-ts.pod.uid": pod.metadata.uid! });
  assert.is(left.length, 0);
  const { existsSync } = await import("node:fs");
  assert.not.ok(existsSync(`${h.dataDir}/pods/${pod.metadata.uid}`));
});

test("an image that cannot be pulled shows ErrImagePull then ImagePullBackOff with the registry error", async () => {
  await h.put("pod", makePod("nopull", { containers: [{ name: "main", image: "example.invalid/nothing:1.0" }] }));
  const first = await waitUntil(() => h.status("default", "nopull")?.containerStatuses[0].state.waiting, 15_000, "ErrImagePull");
  assert.ok(["ErrImagePull", "ImagePullBackOff"].includes(first.reason));
  assert.match(first.message ?? "", /example\.invalid/);
  await waitUntil(() => h.meta.statusLog.some((e) => e.key === "default/nopull" && e.status.containerStatuses[0].state.waiting?.reason === "ImagePullBackOff"), 15_000, "ImagePullBackOff");
  assert.is(h.status("default", "nopull")?.phase, "Pending");
});

test("a pod referencing a missing ConfigMap waits, then starts once the ConfigMap arrives", async () => {
  await h.put("pod", makePod("later", {
    containers: [{ name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "cat /c/k; sleep 3600"], volumeMounts: [{ name: "c", mountPath: "/c" }] }],
    volumes: [{ name: "c", configMap: { name: "late" } }],
  }));
  const w = await waitUntil(() => h.status("default", "later")?.containerStatuses[0].state.waiting, 15_000, "waiting");
  assert.match(w.message ?? "", /late/);
  await h.put("configmap", { metadata: { namespace: "default", name: "late" }, data: { k: "v" } });
  await waitUntil(() => h.status("default", "later")?.phase === "Running", 15_000, "later running");
});

test.run();
