import { test } from "uvu";
import * as assert from "uvu/assert";
import type { PodStreams } from "../../lib/cloud/apiserver/index.ts";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.ts";

let t: TestApiServer;
const text = (s: string) => new TextEncoder().encode(s);
const calls: string[] = [];

/** Stands in for the edge link: echoes what it is asked, so the test sees what reached it. */
const streams: PodStreams = {
  async logs(target, options) {
    calls.push(`logs ${target.namespace}/${target.pod}/${target.container}@${target.nodeName} follow=${options.follow} tail=${options.tailLines ?? ""}`);
    if (target.container === "broken") throw Object.assign(new Error(`container "broken" in pod "${target.pod}" is waiting to start: ContainerCreating`), { status: 400 });
    return (async function* () {
      yield text("line 1\n");
      yield text("line 2\n");
    })();
  },
  async exec(target, options, session) {
    calls.push(`exec ${target.pod}/${target.container} ${options.command.join(" ")} tty=${options.tty}`);
    if (options.command[0] === "cat" && session.stdin) {
      for await (const chunk of session.stdin) await session.stdout(chunk);
      return { exitCode: 0 };
    }
    await session.stdout(text(`ran ${options.command.join(" ")}\n`));
    await session.stderr(text("warning on stderr\n"));
    return { exitCode: options.command[0] === "false" ? 3 : 0 };
  },
};

test.before(async () => {
  t = await startTestApiServer({ podStreams: streams });
  const pod = {
    apiVersion: "v1", kind: "Pod", metadata: { name: "app" },
    spec: { nodeName: "edge-node-1", containers: [{ name: "main", image: "x" }, { name: "sidecar", image: "y" }, { name: "broken", image: "z" }] },
  };
  assert.is((await t.kubectl(["create", "-f", "-"], { stdin: JSON.stringify(pod) })).code, 0);
});
test.after(async () => {
  await t.close();
});

test("kubectl logs streams a container's log from the PodStreams backend", async () => {
  const r = await t.kubectl(["logs", "app", "--tail=5"]);
  assert.is(r.stdout, "line 1\nline 2\n");
  assert.is(r.stderr, 'Defaulted container "main" out of: main, sidecar, broken\n');
  const side = await t.kubectl(["logs", "app", "-c", "sidecar", "-f"]);
  assert.is(side.stdout, "line 1\nline 2\n");
  assert.ok(calls.includes("logs default/app/main@edge-node-1 follow=false tail=5"));
  assert.ok(calls.includes("logs default/app/sidecar@edge-node-1 follow=true tail="));
  const broken = await t.kubectl(["logs", "app", "-c", "broken"]);
  assert.is(broken.code, 1);
  assert.match(broken.stderr, /Error from server \(BadRequest\): container "broken" in pod "app" is waiting to start: ContainerCreating/);
  const missing = await t.kubectl(["logs", "nope"]);
  assert.is(missing.stderr, 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n');
});

test("kubectl exec runs over the v5 websocket with stdout, stderr, stdin and the exit code", async () => {
  const r = await t.kubectl(["exec", "app", "-c", "main", "--", "ls", "-l", "/"]);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, "ran ls -l /\n");
  assert.is(r.stderr, "warning on stderr\n");
  const piped = await t.kubectl(["exec", "-i", "app", "-c", "main", "--", "cat"], { stdin: "hello\nworld\n" });
  assert.is(piped.stdout, "hello\nworld\n", piped.stderr);
  const failed = await t.kubectl(["exec", "app", "-c", "main", "--", "false"]);
  assert.is(failed.code, 3);
  assert.match(failed.stderr, /command terminated with exit code 3/);
});

test("logs and exec say which node is not connected when no backend serves them", async () => {
  t.api.setPodStreams(undefined);
  try {
    const logs = await t.kubectl(["logs", "app", "-c", "main"]);
    assert.is(logs.code, 1);
    assert.match(logs.stderr, /container logs are not available: node "edge-node-1" is not connected/);
    const exec = await t.kubectl(["exec", "app", "-c", "main", "--", "ls"]);
    assert.is(exec.code, 1);
    assert.is(exec.stderr, 'error: container exec is not available: node "edge-node-1" is not connected\n');
  } finally {
    t.api.setPodStreams(streams);
  }
});

test.run();
