/**
 * DockerRuntime against a real dockerd: the ContainerRuntime contract Edged relies on.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createServer } from "node:net";
import { DockerRuntime, ensureBusyboxImage, RuntimeError } from "../../../../lib/edge/edged/runtime/index.ts";
import { type TestDocker, useTestDocker } from "../../../support/docker.ts";
import { waitUntil } from "../../../support/process.ts";

const IMAGE = "kubeedge-ts/busybox:latest";
const LABEL = { "kubeedge-ts.test": `runtime-${process.pid}` };
let docker: TestDocker;
let rt: DockerRuntime;

test.before(async () => {
  docker = await useTestDocker();
  rt = new DockerRuntime({ socketPath: docker.socketPath });
  await ensureBusyboxImage(rt);
});

test.after(async () => {
  for (const c of await rt.listContainers(LABEL)) await rt.removeContainer(c.id);
  await rt.close();
  await docker.release();
});

const spec = (name: string, cmd: string[], extra: Partial<Parameters<DockerRuntime["createContainer"]>[0]> = {}) => ({
  name: `${name}-${process.pid}`, image: IMAGE, labels: { ...LABEL, role: name }, cmd, env: ["A=1"], mounts: [], network: "bridge" as const, ports: [], ...extra,
});

test("version() names the engine and the API version in use", async () => {
  const v = await rt.version();
  assert.is(v.name, "docker");
  assert.match(v.version, /^\d+\.\d+/);
  assert.match(v.apiVersion, /^1\.\d+$/);
});

test("ensureBusyboxImage() finds the image it built", async () => {
  const r = await ensureBusyboxImage(rt);
  assert.equal(r, { tag: IMAGE, built: false });
  const img = await rt.inspectImage(IMAGE);
  assert.match(img!.id, /^sha256:/);
  assert.ok(img!.repoTags.includes(IMAGE));
  assert.is(await rt.inspectImage("kubeedge-ts/absent:0"), undefined);
});

test("pullImage() fails with RUNTIME_PULL carrying the registry error when no registry is reachable", async () => {
  try {
    await rt.pullImage("example.invalid/none:1.0");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, RuntimeError);
    assert.is((e as RuntimeError).code, "RUNTIME_PULL");
    assert.match((e as Error).message, /example\.invalid/);
  }
});

test("containers are created, started, listed by label, inspected, stopped and removed", async () => {
  const id = await rt.createContainer(spec("life", ["sh", "-c", "trap 'exit 7' TERM; while :; do sleep 1; done"]));
  await rt.startContainer(id);
  const listed = await rt.listContainers({ ...LABEL, role: "life" });
  assert.equal(listed.map((c) => c.id), [id]);
  assert.is(listed[0].state, "running");
  const d = (await rt.inspectContainer(id))!;
  assert.ok(d.running);
  assert.match(d.ip, /^\d+\.\d+\.\d+\.\d+$/);
  assert.ok(d.startedAt && !d.finishedAt);
  assert.is(d.labels.role, "life");
  await rt.stopContainer(id, 5);
  const after = (await rt.inspectContainer(id))!;
  assert.is(after.running, false);
  assert.is(after.exitCode, 7);
  assert.ok(after.finishedAt);
  await rt.stopContainer(id, 1);
  await rt.removeContainer(id);
  assert.is(await rt.inspectContainer(id), undefined);
  await rt.removeContainer(id);
  await rt.stopContainer(id, 1);
});

test("a container joined to another's network shares its localhost; published ports reach the owner", async () => {
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const owner = await rt.createContainer(spec("owner", ["sh", "-c", "echo hi > /tmp/index.html; exec httpd -f -p 8000 -h /tmp"], {
    ports: [{ containerPort: 8000, hostPort: port, protocol: "tcp" }],
  }));
  await rt.startContainer(owner);
  const joined = await rt.createContainer(spec("joined", ["sleep", "60"], { network: `container:${owner}` }));
  await rt.startContainer(joined);
  const ex = await rt.exec(joined, { command: ["wget", "-q", "-O", "-", "http://127.0.0.1:8000/"] });
  let out = "";
  for await (const c of ex.stdout) out += c;
  assert.is(out, "hi\n");
  assert.is(await ex.exit, 0);
  // the published port answers once docker-proxy listens, which can be a moment after the container started
  const body = await waitUntil(() => fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()), 10_000, `an answer on the published port ${port}`);
  assert.is(body, "hi\n");
});

test("events() reports start and die of labelled containers", async () => {
  const ac = new AbortController();
  const seen: { id: string; action: string }[] = [];
  const reading = (async () => {
    for await (const e of rt.events({ ...LABEL, role: "ev" }, ac.signal)) seen.push(e);
  })();
  // events() does not say when the engine's stream is open, and a container started before that is not reported:
  // until one is, each check starts another short-lived container (test.after removes them)
  let n = 0;
  const both = (id: string) => seen.some((e) => e.id === id && e.action === "start") && seen.some((e) => e.id === id && e.action === "die");
  try {
    await waitUntil(async () => {
      if (!seen.length) await rt.startContainer(await rt.createContainer({ ...spec("ev", ["true"]), name: `ev-${n++}-${process.pid}` }));
      return seen.some((e) => both(e.id));
    }, 15_000, "start and die of one labelled container", { intervalMs: 200 });
  } finally {
    ac.abort();
  }
  await reading;
  assert.ok(seen.every((e) => e.id), "every event names its container");
});

test("exec() in a stopped container fails with RUNTIME_CONFLICT; an unknown container with RUNTIME_NOT_FOUND", async () => {
  const id = await rt.createContainer(spec("stopped", ["true"]));
  try {
    await rt.exec(id, { command: ["true"] });
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "RUNTIME_CONFLICT");
  }
  try {
    await rt.exec("0000nosuch", { command: ["true"] });
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "RUNTIME_NOT_FOUND");
  }
});

test("a runtime on a socket nobody serves fails with RUNTIME_UNREACHABLE", async () => {
  const dead = new DockerRuntime({ socketPath: "/tmp/kubeedge-ts-no-such-docker.sock" });
  try {
    await dead.version();
    assert.unreachable();
  } catch (e) {
    assert.is((e as RuntimeError).code, "RUNTIME_UNREACHABLE");
    assert.match((e as Error).message, /no-such-docker/);
  } finally {
    await dead.close();
  }
});

test.run();
