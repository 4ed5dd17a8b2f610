import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runCommand } from "../../cross/run_command.ts";
import { VERSION } from "../../lib/version.ts";
import { useTestDocker, type TestDocker } from "../support/docker.ts";
import { ROOT, runToEnd, tsArgs, waitUntil } from "../support/process.ts";
import { skip } from "../support/skip.ts";

const out = mkdtempSync(join(tmpdir(), "build-image-test-"));
const archive = join(out, "cloud_core-image-linux-x64.tar");
const unpacked = join(out, "unpacked");
const tag = `kubeedge-ts/cloud_core:${VERSION}`;
let docker: TestDocker | undefined;
const containers: string[] = [];

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const blob = (digest: string) => readFileSync(join(unpacked, "blobs/sha256", digest.replace(/^sha256:/, "")));
const json = (digest: string) => JSON.parse(blob(digest).toString("utf8"));

async function dockerCli(...args: string[]) {
  return runCommand("docker", args, { env: { ...process.env, DOCKER_HOST: `unix://${docker!.socketPath}` }, timeoutMs: 120_000 });
}

function healthz(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz", rejectUnauthorized: false, timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(`${res.statusCode} ${body}`));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  });
}

test.before(async () => {
  const r = await runToEnd(...tsArgs(join(ROOT, "build.ts"), "--image", "--out", out), { timeoutMs: 180_000 });
  if (r.code !== 0) throw new Error(`build.ts --image failed:\n${r.stdout}\n${r.stderr}`);
  mkdirSync(unpacked);
  await runCommand("tar", ["-xf", archive, "-C", unpacked]);
});

test.after(async () => {
  for (const id of containers) await dockerCli("rm", "-f", id).catch(() => undefined);
  if (docker) {
    await dockerCli("rmi", "-f", tag).catch(() => undefined);
    await docker.release();
  }
  rmSync(out, { recursive: true, force: true });
});

test("build.ts --image writes an OCI layout that also carries docker's manifest.json", () => {
  const index = JSON.parse(readFileSync(join(unpacked, "index.json"), "utf8"));
  const [manifestRef] = index.manifests;
  assert.is(manifestRef.annotations["io.containerd.image.name"], `docker.io/${tag}`);
  const manifest = json(manifestRef.digest);
  assert.is(sha256(blob(manifestRef.digest)), manifestRef.digest.slice(7));
  const [docker] = JSON.parse(readFileSync(join(unpacked, "manifest.json"), "utf8"));
  assert.equal(docker.RepoTags, [tag]);
  assert.is(docker.Config, `blobs/sha256/${manifest.config.digest.slice(7)}`);
  assert.equal(docker.Layers, manifest.layers.map((l: { digest: string }) => `blobs/sha256/${l.digest.slice(7)}`));
  for (const l of manifest.layers) assert.is(sha256(blob(l.digest)), l.digest.slice(7), "layer digest");
});

test("build.ts --image config: non-root user, data volume, cloud_core as entrypoint, diff_ids of the layers", () => {
  const manifest = json(JSON.parse(readFileSync(join(unpacked, "index.json"), "utf8")).manifests[0].digest);
  const config = json(manifest.config.digest);
  assert.is(config.os, "linux");
  assert.is(config.architecture, "amd64");
  assert.is(config.config.User, "65532:65532");
  assert.equal(config.config.Entrypoint, ["/usr/local/bin/cloud_core"]);
  assert.equal(config.config.Cmd, ["--config", "/etc/kubeedge-ts/cloud.yaml"]);
  assert.equal(Object.keys(config.config.Volumes), ["/var/lib/kubeedge-ts"]);
  assert.equal(
    config.rootfs.diff_ids,
    manifest.layers.map((l: { digest: string }) => `sha256:${sha256(gunzipSync(blob(l.digest)))}`),
  );
});

test("build.ts --image layer holds cloud_core, its glibc files and a few /etc files, and no shell", async () => {
  const manifest = json(JSON.parse(readFileSync(join(unpacked, "index.json"), "utf8")).manifests[0].digest);
  const layer = join(out, "layer.tar");
  writeFileSync(layer, gunzipSync(blob(manifest.layers[0].digest)));
  const { stdout } = await runCommand("tar", ["--numeric-owner", "-tvf", layer]);
  const files = stdout.trim().split("\n").filter((l) => l.startsWith("-")).map((l) => l.split(/\s+/).pop()!).sort();
  assert.ok(files.includes("usr/local/bin/cloud_core"));
  assert.ok(files.includes("lib64/ld-linux-x86-64.so.2"));
  const others = files.filter((f) => f !== "usr/local/bin/cloud_core" && f !== "lib64/ld-linux-x86-64.so.2");
  for (const f of others) assert.match(f, /^(lib\/x86_64-linux-gnu\/lib[a-z]+\.so\.\d+|etc\/(passwd|group|nsswitch\.conf|kubeedge-ts\/cloud\.yaml))$/);
  assert.not.ok(files.some((f) => /(^|\/)(sh|bash|busybox)$/.test(f)));
  assert.match(stdout, /drwxr-xr-x 65532\/65532 .* var\/lib\/kubeedge-ts\//);
});

test("docker load reads the archive and the image runs cloud_core as user 65532", async () => {
  docker = await useTestDocker();
  const load = await dockerCli("load", "-i", archive);
  assert.match(load.stdout, new RegExp(`Loaded image: ${tag}`));
  const version = await dockerCli("run", "--rm", tag, "--version");
  assert.is(version.stdout, `cloud_core ${VERSION}\n`);
  const user = await dockerCli("image", "inspect", tag, "--format", "{{.Config.User}}");
  assert.is(user.stdout.trim(), "65532:65532");
});

test("docker run of the image serves the embedded API: /healthz answers ok", async () => {
  if (!docker) docker = await useTestDocker();
  if (docker.networkMode === "none") {
    skip("the test Docker engine runs without a bridge here, so no port can be published");
    return;
  }
  const run = await dockerCli("run", "-d", "-p", "127.0.0.1::6443", tag);
  const id = run.stdout.trim();
  containers.push(id);
  const port = Number((await dockerCli("port", id, "6443/tcp")).stdout.trim().split(":").pop());
  const answer = await waitUntil(() => healthz(port), 30_000, "/healthz").catch(async (e: Error) => {
    const logs = await dockerCli("logs", id).catch((x: Error) => ({ stdout: "", stderr: x.message }));
    throw new Error(`${e.message}\n--- container log ---\n${logs.stdout}${logs.stderr}`);
  });
  assert.is(answer, "200 ok");
});

test.run();
