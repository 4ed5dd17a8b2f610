/**
 * Secrets at rest: a real cloud_core (embedded API) and edge_core, started with umask 000 so every mode the code does
 * not set itself comes out world-readable, run a pod that uses a Secret as a volume and as an environment variable,
 * as a non-root container user. Then both dataDirs are walked: no file may be readable and no folder reachable by
 * group or other. The one documented exception is each pod volume folder (`pods/<uid>/volumes/<kind>/<name>`) with
 * what is inside: containers running as other users read it through the bind mount, and its 0700 parents keep host
 * users out. The edge dataDir is first made the way an older version left it (0755, a 0644 file), and must be
 * tightened at start with one warning.
 */
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DockerRuntime, ensureBusyboxImage } from "../../lib/edge/edged/runtime/index.ts";
import { createCluster, type E2eCluster } from "../e2e/_cluster.ts";
import { removeNodeContainers, removeStaleRuns } from "../e2e/_engine.ts";
import { type TestDocker, useTestDocker } from "../support/docker.ts";
import { skip } from "../support/skip.ts";

const NODE_PREFIX = "sec-modes-";
const NODE = `${NODE_PREFIX}${process.pid}`;
const SECRET_VALUE = `s3cret-${process.pid}-value`;
const POD_VOLUME = /^pods\/[^/]+\/volumes\/[^/]+\/[^/]+$/;

/** Entries under `root` that group or other can read, write or enter, as "path mode"; `keep` subtrees are not walked. */
function openEntries(root: string, keep: (rel: string) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, name));
      if (st.isSymbolicLink() || keep(childRel)) continue;
      if (st.mode & 0o077) out.push(`${childRel} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) walk(join(dir, name), childRel);
    }
  };
  if (statSync(root).mode & 0o077) out.push(`. ${(statSync(root).mode & 0o777).toString(8)}`);
  walk(root, "");
  return out;
}

/** Every path under `root`, for finding where the Secret sits. */
function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
}

const podYaml = `apiVersion: v1
kind: Secret
metadata: {name: db-pass}
stringData: {token: ${SECRET_VALUE}}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  nodeName: ${NODE}
  securityContext: {runAsUser: 1000, runAsGroup: 1000}
  volumes:
  - name: creds
    secret: {secretName: db-pass}
  containers:
  - name: main
    image: kubeedge-ts/busybox:latest
    imagePullPolicy: IfNotPresent
    command: ["sh", "-c", "echo file=$(cat /etc/creds/token) env=$TOKEN; exec sleep 3600"]
    env:
    - name: TOKEN
      valueFrom: {secretKeyRef: {name: db-pass, key: token}}
    volumeMounts:
    - {name: creds, mountPath: /etc/creds}
`;

test("under umask 000, cloud and edge dataDirs holding a Secret in use are private (0600 files, 0700 folders)", async () => {
  let docker: TestDocker;
  try {
    docker = await useTestDocker();
  } catch (e) {
    skip(`no Docker engine for a pod using a Secret: ${(e as Error).message}`);
    return;
  }
  const oldUmask = process.umask(0);
  let cluster: E2eCluster | undefined;
  let ok = false;
  try {
    const runtime = new DockerRuntime({ socketPath: docker.socketPath });
    try {
      await ensureBusyboxImage(runtime);
    } finally {
      await runtime.close();
    }
    await removeStaleRuns(docker.socketPath, NODE_PREFIX);
    cluster = await createCluster({ dockerSocket: docker.socketPath, nodeName: NODE });
    const cloudDir = join(cluster.dir, "cloud");
    const edgeDir = join(cluster.dir, "edge");
    // an edge dataDir as an older version left it
    mkdirSync(edgeDir, { mode: 0o755 });
    chmodSync(edgeDir, 0o755);
    writeFileSync(join(edgeDir, "old-notes.txt"), "left by an older version", { mode: 0o644 });

    await cluster.startCloud();
    await cluster.issueCert();
    await cluster.startEdge();
    const edgeOut = cluster.edge()!.output();
    assert.is(edgeOut.split("\n").filter((l) => l.includes("made them private")).length, 1, "one warning about the tightened dataDir");

    const file = join(cluster.dir, "reader.yaml");
    writeFileSync(file, podYaml);
    const applied = await cluster.kubectl(["apply", "-f", file]);
    assert.is(applied.code, 0, applied.stderr);
    const ready = await cluster.kubectl(["wait", "--for=condition=Ready", "pod/reader", "--timeout=90s"], { timeoutMs: 100_000 });
    assert.is(ready.code, 0, `pod reader Ready: ${ready.stderr}`);
    // a container running as uid 1000 reads the Secret through its volume and its environment
    const logs = await cluster.kubectl(["logs", "reader", "--tail=1"]);
    assert.is(logs.stdout.trim(), `file=${SECRET_VALUE} env=${SECRET_VALUE}`, logs.stderr);

    // the Secret really is at rest in both dataDirs: in the stores and in the volume
    const holding = (root: string) => allFiles(root).filter((p) => readFileSync(p).includes(SECRET_VALUE) || readFileSync(p).includes(Buffer.from(SECRET_VALUE).toString("base64")));
    assert.ok(holding(cloudDir).length > 0, "the cloud store holds the Secret");
    const edgeHolding = holding(edgeDir);
    assert.ok(edgeHolding.some((p) => !p.includes("/pods/")), `the edge store holds the Secret: ${edgeHolding.join(", ")}`);
    assert.ok(edgeHolding.some((p) => p.includes("/volumes/secret/creds/")), "the Secret volume holds it");

    assert.equal(openEntries(cloudDir), [], "cloud dataDir entries open to group or other");
    assert.equal(openEntries(edgeDir, (rel) => POD_VOLUME.test(rel)), [], "edge dataDir entries open to group or other");
    const volumeParent = allFiles(edgeDir).find((p) => p.includes("/volumes/secret/creds/"))!.split("/creds/")[0];
    assert.is(statSync(volumeParent).mode & 0o777, 0o700, "the folder above the Secret volume");
    assert.is(statSync(edgeDir).mode & 0o777, 0o700);
    assert.is(statSync(join(edgeDir, "old-notes.txt")).mode & 0o777, 0o600, "an older version's file is tightened");
    ok = true;
  } finally {
    process.umask(oldUmask);
    if (cluster && !ok) process.stderr.write(`logs kept in ${cluster.dumpLogs()}\n`);
    await cluster?.close(!ok);
    await removeNodeContainers(docker.socketPath, NODE).catch(() => 0);
    await docker.release();
  }
});

test.run();
