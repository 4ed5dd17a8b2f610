/**
 * The edge side of `kubectl logs` and `kubectl exec` against a real dockerd.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Harness, IMAGE, makePod, startHarness } from "./edged_harness.ts";
import { waitUntil } from "../support/process.ts";

let h: Harness;

test.before(async () => {
  h = await startHarness();
  await h.put("pod", makePod("talker", {
    containers: [
      { name: "main", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sh", "-c", "for i in 1 2 3 4 5; do echo line$i; done; echo oops >&2; i=0; while :; do i=$((i+1)); echo tick$i; sleep 0.2; done"] },
      { name: "quiet", image: IMAGE, imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] },
    ],
  }));
  await waitUntil(() => h.status("default", "talker")?.containerStatuses.every((c) => c.state.running), 15_000, "talker running");
});

test.after(async () => {
  await h?.close();
});

async function collect(it: AsyncIterable<Uint8Array>): Promise<string> {
  let s = "";
  for await (const c of it) s += Buffer.from(c).toString();
  return s;
}

test("podLogs() returns stdout and stderr, and the last lines with tailLines", async () => {
  const all = await waitUntil(async () => {
    const s = await collect(h.edged.podLogs("default", "talker", "main"));
    return s.includes("tick2") && s;
  }, 15_000, "output");
  // the engine copies stdout and stderr from separate pipes, so only each stream's own order is certain
  assert.ok(all.replace("oops\n", "").startsWith("line1\nline2\nline3\nline4\nline5\ntick1\n"), JSON.stringify(all));
  assert.ok(all.includes("oops\n"), "stderr is part of the log");
  const tail = await collect(h.edged.podLogs("default", "talker", "main", { tailLines: 2 }));
  assert.is(tail.trim().split("\n").length, 2);
  assert.match(tail, /\ntick\d+\n$/);
  const stamped = await collect(h.edged.podLogs("default", "talker", "main", { tailLines: 1, timestamps: true }));
  assert.match(stamped, /^\d{4}-\d\d-\d\dT[\d:.]+Z tick\d+\n$/);
});

test("podLogs() with follow streams new lines until aborted", async () => {
  const ac = new AbortController();
  let s = "";
  const started = Date.now();
  for await (const c of h.edged.podLogs("default", "talker", "main", { follow: true, tailLines: 0, signal: ac.signal })) {
    s += Buffer.from(c).toString();
    if ((s.match(/tick/g) ?? []).length >= 3) ac.abort();
  }
  assert.ok((s.match(/tick/g) ?? []).length >= 3);
  assert.ok(Date.now() - started >= 300, "lines arrived over time, not from the past");
});

test("podLogs() names the missing pod or container", async () => {
  try {
    await collect(h.edged.podLogs("default", "nosuch", "main"));
    assert.unreachable();
  } catch (e) {
    assert.is((e as { code?: string }).code, "EDGED_NOT_FOUND");
    assert.match((e as Error).message, /default\/nosuch/);
  }
  try {
    await collect(h.edged.podLogs("default", "talker", ""));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /one of \[/);
  }
});

test("podExec() prints the hostname, reports exit codes and passes stdin", async () => {
  const ex = await h.edged.podExec("default", "talker", "quiet", { command: ["cat", "/etc/hostname"] });
  const out = await collect(ex.stdout);
  assert.is(out, "talker\n");
  assert.is(await ex.exit, 0);

  const bad = await h.edged.podExec("default", "talker", "quiet", { command: ["sh", "-c", "echo no >&2; exit 3"] });
  const [o, e] = await Promise.all([collect(bad.stdout), collect(bad.stderr)]);
  assert.is(o, "");
  assert.is(e, "no\n");
  assert.is(await bad.exit, 3);

  const cat = await h.edged.podExec("default", "talker", "quiet", { command: ["sh", "-c", "tr a-z A-Z"], stdin: true });
  cat.stdin!.write("hello ");
  cat.stdin!.end("stdin\n");
  assert.is(await collect(cat.stdout), "HELLO STDIN\n");
  assert.is(await cat.exit, 0);
});

test("podExec() with a tty merges output and can be resized", async () => {
  const t = await h.edged.podExec("default", "talker", "quiet", { command: ["sh", "-c", "sleep 0.3; stty size"], tty: true });
  await t.resize(100, 40);
  const out = await collect(t.stdout);
  assert.match(out, /40 100/);
  assert.is(await t.exit, 0);
});

test.run();
