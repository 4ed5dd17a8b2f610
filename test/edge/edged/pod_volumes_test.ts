import { test } from "uvu";
import * as assert from "uvu/assert";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareVolumes, referencedObjects } from "../../../lib/edge/edged/pod_volumes.ts";
import type { Pod } from "../../../lib/edge/edged/index.ts";
import { objectSource } from "./_objects.ts";

const facts = { podIP: "10.0.0.9", hostIP: "192.0.2.1", nodeName: "edge-1" };
const store = {
  "ns/configmap/cm": { metadata: { name: "cm" }, data: { "app.conf": "x=1", other: "o" } },
  "ns/secret/s": { metadata: { name: "s" }, data: { key: Buffer.from([0, 1, 2, 255]).toString("base64") } },
};

test("prepareVolumes() writes ConfigMap items, binary Secret data, downward API and projected files with modes", async () => {
  const root = mkdtempSync(join(tmpdir(), "vols-"));
  const src = await objectSource(store);
  try {
    const pod: Pod = {
      metadata: { name: "p", namespace: "ns", uid: "u", labels: { app: "x" } },
      spec: {
        containers: [],
        volumes: [
          { name: "cfg", configMap: { name: "cm", items: [{ key: "app.conf", path: "conf/app.conf", mode: 0o640 }] } },
          { name: "sec", secret: { secretName: "s", defaultMode: 0o400 } },
          { name: "meta", downwardAPI: { items: [{ path: "name", fieldRef: { fieldPath: "metadata.name" } }] } },
          { name: "all", projected: { sources: [{ configMap: { name: "cm" } }, { secret: { name: "s" } }, { downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } }] } },
          { name: "scratch", emptyDir: {} },
          { name: "host", hostPath: { path: join(root, "made"), type: "DirectoryOrCreate" } },
          { name: "opt", configMap: { name: "absent", optional: true } },
        ],
      },
    };
    const v = await prepareVolumes(pod, join(root, "vols"), { objects: src.objects, facts });
    const cfg = v.get("cfg")!;
    assert.ok(cfg.readOnly);
    assert.is(readFileSync(join(cfg.hostPath, "conf/app.conf"), "utf8"), "x=1");
    assert.is(statSync(join(cfg.hostPath, "conf/app.conf")).mode & 0o777, 0o640);
    assert.not.ok(existsSync(join(cfg.hostPath, "other")), "only the listed items");
    assert.equal([...readFileSync(join(v.get("sec")!.hostPath, "key"))], [0, 1, 2, 255]);
    assert.is(statSync(join(v.get("sec")!.hostPath, "key")).mode & 0o777, 0o400);
    assert.is(readFileSync(join(v.get("meta")!.hostPath, "name"), "utf8"), "p");
    const all = v.get("all")!.hostPath;
    assert.is(readFileSync(join(all, "other"), "utf8"), "o");
    assert.is(readFileSync(join(all, "labels"), "utf8"), 'app="x"');
    assert.ok(existsSync(join(all, "key")));
    assert.is(statSync(v.get("scratch")!.hostPath).mode & 0o777, 0o777);
    assert.ok(statSync(join(root, "made")).isDirectory());
    assert.equal(referencedObjects(pod), new Set(["configmap/cm", "secret/s", "configmap/absent"]));
  } finally {
    await src.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test("prepareVolumes() refuses unsupported kinds and wrong hostPath types", async () => {
  const src = await objectSource(store);
  try {
    const mk = (vol: NonNullable<Pod["spec"]["volumes"]>[0]): Pod => ({ metadata: { name: "p", namespace: "ns", uid: "u" }, spec: { containers: [], volumes: [vol] } });
    const deps = { objects: src.objects, facts };
    await prepareVolumes(mk({ name: "pvc", persistentVolumeClaim: { claimName: "c" } } as never), "/tmp/unused", deps).then(() => assert.unreachable(), (e) => {
      assert.match(e.message, /kind "persistentVolumeClaim" is not supported/);
    });
    await prepareVolumes(mk({ name: "h", hostPath: { path: "/nonexistent-dir-xyz", type: "Directory" } }), "/tmp/unused", deps).then(() => assert.unreachable(), (e) => {
      assert.match(e.message, /"\/nonexistent-dir-xyz" is not an existing directory/);
    });
  } finally {
    await src.close();
  }
});

test.run();
