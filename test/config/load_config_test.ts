import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloudSchema, ConfigError, ConfigFileError, edgeSchema, loadConfig, parseConfig, parseDurationMs, resolveEdgeConfig } from "../../lib/config/index.ts";

const root = new URL("../../", import.meta.url).pathname;

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.instance(e, ConfigFileError);
    return (e as Error).message;
  }
  assert.unreachable("expected a ConfigFileError");
  return "";
}

test("parseConfig() names the file, key path and expectation for a bad enum", () => {
  const msg = errorOf(() => parseConfig("eventBus:\n  mode: intrnal\n", edgeSchema, "/etc/x/edge.yaml"));
  assert.is(msg, 'edge.yaml: eventBus.mode: expected one of internal, external, both, got "intrnal"');
});

test("parseConfig() rejects unknown keys, naming them", () => {
  const msg = errorOf(() => parseConfig("edgeHub:\n  hearbeat: 10s\n", edgeSchema, "edge.yaml"));
  assert.match(msg, /^edge\.yaml: edgeHub\.hearbeat: unknown key \(known keys here: server, projectId, tls, heartbeat/);
});

test("parseConfig() reports YAML syntax errors with the line", () => {
  const msg = errorOf(() => parseConfig("edgeHub:\n  server: [oops\n", edgeSchema, "edge.yaml"));
  assert.match(msg, /^edge\.yaml: invalid YAML \(line \d+, column \d+\)/);
});

test("parseConfig() checks types of durations, ports, numbers and sections", () => {
  const cases: [string, string][] = [
    ["edgeHub:\n  heartbeat: soon\n", "edge.yaml: edgeHub.heartbeat: expected a duration from 1s to 10m, such as 15s, 1m, 500ms or a number of seconds, got \"soon\""],
    ["edgeHub:\n  server: cloud\n", "edge.yaml: edgeHub.server: expected host:port with a port from 0 to 65535, got \"cloud\""],
    ["edgeHub:\n  server: cloud:70000\n", "edge.yaml: edgeHub.server: expected host:port with a port from 0 to 65535, got \"cloud:70000\""],
    ["edged:\n  maxPods: -1\n", "edge.yaml: edged.maxPods: expected a whole number from 1 to 10000, got -1"],
    ["edged: 5\n", "edge.yaml: edged: expected a map, got 5"],
    ["edged:\n  enable: yes please\n", "edge.yaml: edged.enable: expected true or false, got \"yes please\""],
    ["- a\n- b\n", "edge.yaml: (top level): expected a map, got a list"],
  ];
  for (const [text, expected] of cases) assert.is(errorOf(() => parseConfig(text, edgeSchema, "edge.yaml")), expected);
});

test("parseConfig() fills defaults for an empty file", () => {
  const c = parseConfig("", edgeSchema, "edge.yaml");
  assert.is(c.eventBus.mode, "internal");
  assert.equal(c.eventBus.internal.address, { host: "127.0.0.1", port: 1884, text: "127.0.0.1:1884" });
  assert.is(c.eventBus.external.url, "tcp://127.0.0.1:1883");
  assert.is(c.edgeHub.heartbeat, 15_000);
  assert.is(c.edged.dockerSocket, "/var/run/docker.sock");
  const cloud = parseConfig("", cloudSchema, "cloud.yaml");
  assert.equal(cloud.cloudHub.address.port, 10000);
  assert.equal(cloud.apiserver.address.text, "127.0.0.1:6443");
  assert.is(cloud.kubernetes.kubeconfig, undefined);
});

test("parseDurationMs() accepts 15s, 1m, 1m30s, 500ms, 2h and plain seconds", () => {
  assert.is(parseDurationMs("15s"), 15_000);
  assert.is(parseDurationMs("1m"), 60_000);
  assert.is(parseDurationMs("1m30s"), 90_000);
  assert.is(parseDurationMs("500ms"), 500);
  assert.is(parseDurationMs("2h"), 7_200_000);
  assert.is(parseDurationMs(20), 20_000);
  assert.is(parseDurationMs("15"), undefined);
  assert.is(parseDurationMs(-1), undefined);
});

test("resolveEdgeConfig() puts certificates under dataDir and resolves paths against the config folder", () => {
  const c = resolveEdgeConfig(parseConfig("dataDir: data\nnodeName: n1\n", edgeSchema, "edge.yaml"), "/etc/ke");
  assert.is(c.dataDir, "/etc/ke/data");
  assert.equal(c.edgeHub.tls, { ca: "/etc/ke/data/certs/ca.crt", cert: "/etc/ke/data/certs/node.crt", key: "/etc/ke/data/certs/node.key" });
  assert.is(c.nodeName, "n1");
  assert.ok(resolveEdgeConfig(parseConfig("", edgeSchema, "e.yaml")).nodeName.length > 0, "node name defaults to the host name");
});

test("conf/edge.yaml and conf/cloud.yaml are valid and show the defaults", () => {
  const edge = loadConfig(join(root, "conf/edge.yaml"), edgeSchema);
  assert.equal(edge, parseConfig(readFileSync(join(root, "conf/edge.yaml"), "utf8"), edgeSchema, "edge.yaml"));
  const empty = parseConfig("", edgeSchema, "edge.yaml");
  assert.equal({ ...edge, edgeHub: { ...edge.edgeHub, tls: empty.edgeHub.tls } }, empty, "the example's values are the defaults");
  const cloud = loadConfig(join(root, "conf/cloud.yaml"), cloudSchema);
  const emptyCloud = parseConfig("", cloudSchema, "cloud.yaml");
  assert.equal({ ...cloud, cloudHub: { ...cloud.cloudHub, tls: emptyCloud.cloudHub.tls } }, emptyCloud);
});

test("loadConfig() names the path when the file cannot be read", () => {
  const dir = mkdtempSync(join(tmpdir(), "ke-config-"));
  try {
    const msg = errorOf(() => loadConfig(join(dir, "missing.yaml"), edgeSchema));
    assert.match(msg, /^Cannot read config ".*missing\.yaml": ENOENT/);
    writeFileSync(join(dir, "e.yaml"), "logLevel: loud\n");
    assert.is(errorOf(() => loadConfig(join(dir, "e.yaml"), edgeSchema)), 'e.yaml: logLevel: expected one of debug, info, warn, error, got "loud"');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("parseConfig() refuses numbers and booleans where a string is expected, naming the key", () => {
  const cases: [string, string][] = [
    ["nodeName: 5\n", "edge.yaml: nodeName: expected a Kubernetes node name"],
    ["dataDir: 12\n", "edge.yaml: dataDir: expected a string of 1 to 4096 characters, got 12"],
    ["edgeHub:\n  tls:\n    ca: 42\n", "edge.yaml: edgeHub.tls.ca: expected a string of 1 to 4096 characters, got 42"],
    ["edged:\n  dockerSocket: true\n", "edge.yaml: edged.dockerSocket: expected a string of 1 to 4096 characters, got true"],
    ["dataDir: \"\"\n", "edge.yaml: dataDir: expected a string of 1 to 4096 characters, got \"\""],
    ["dataDir: \"a\\0b\"\n", "edge.yaml: dataDir: expected a string of 1 to 4096 characters, got \"a\\u0000b\""],
    [`dataDir: ${"d".repeat(5000)}\n`, `edge.yaml: dataDir: expected a string of 1 to 4096 characters, got "${"d".repeat(80)}"... (5000 characters)`],
  ];
  for (const [text, prefix] of cases) {
    const msg = errorOf(() => parseConfig(text, edgeSchema, "edge.yaml"));
    assert.ok(msg.startsWith(prefix), `${JSON.stringify(text)} -> ${msg}`);
  }
  assert.is(errorOf(() => parseConfig("cloudHub:\n  tls:\n    caKey: 7\n", cloudSchema, "cloud.yaml")), "cloud.yaml: cloudHub.tls.caKey: expected a string of 1 to 4096 characters, got 7");
});

test("parseConfig() accepts only Kubernetes node names for nodeName", () => {
  for (const good of ["edge-1", "a", "node.example.com", "x".repeat(63) + "." + "y".repeat(63)]) {
    assert.is(parseConfig(`nodeName: ${good}\n`, edgeSchema, "edge.yaml").nodeName, good);
  }
  for (const bad of ["Bad_Node/../x", "Edge-1", "-edge", "edge-", "a..b", "edge 1", "a".repeat(254)]) {
    const msg = errorOf(() => parseConfig(`nodeName: "${bad}"\n`, edgeSchema, "edge.yaml"));
    assert.match(msg, /^edge\.yaml: nodeName: expected a Kubernetes node name/, bad);
  }
});

test("resolveEdgeConfig() takes the host name as node name only when it is a valid one", () => {
  const raw = parseConfig("", edgeSchema, "edge.yaml");
  assert.is(resolveEdgeConfig(raw, "/tmp", "Edge-Host1").nodeName, "edge-host1");
  try {
    resolveEdgeConfig(raw, "/tmp", "my_laptop");
    assert.unreachable("my_laptop is not a node name");
  } catch (e) {
    assert.instance(e, ConfigError);
    assert.match((e as Error).message, /^nodeName: expected a Kubernetes node name .* the host name "my_laptop" is not one: set nodeName$/);
  }
});

test("resolveEdgeConfig() resolves the internal broker's TLS files and wants cert and key together", () => {
  const parse = (text: string) => resolveEdgeConfig(parseConfig(`nodeName: n1\neventBus:\n  internal:\n    tls:\n${text}`, edgeSchema, "edge.yaml"), "/etc/ke");
  assert.equal(parse("      cert: b.crt\n      key: b.key\n      clientCA: ca.crt\n").eventBus.internal.tlsFiles, { cert: "/etc/ke/b.crt", key: "/etc/ke/b.key", clientCA: "/etc/ke/ca.crt" });
  assert.is(parse("      {}\n").eventBus.internal.tlsFiles, undefined);
  const bad: [string, RegExp][] = [
    ["      cert: b.crt\n", /^eventBus\.internal\.tls\.key: expected both cert and key, got only cert$/],
    ["      key: b.key\n", /^eventBus\.internal\.tls\.cert: expected both cert and key, got only key$/],
    ["      clientCA: ca.crt\n", /^eventBus\.internal\.tls\.cert: expected the broker certificate and key to go with clientCA/],
  ];
  for (const [text, re] of bad) {
    try {
      parse(text);
      assert.unreachable(text);
    } catch (e) {
      assert.instance(e, ConfigError);
      assert.match((e as Error).message, re);
    }
  }
});

test("a 10 MB node name is refused with a one-line message of bounded size", () => {
  const msg = errorOf(() => parseConfig(`nodeName: ${"a".repeat(10 * 1024 * 1024)}\n`, edgeSchema, "edge.yaml"));
  assert.match(msg, /^edge\.yaml: nodeName: expected a Kubernetes node name .*\.\.\. \(10485760 characters\)$/);
  assert.ok(msg.length < 400, `message is ${msg.length} characters`);
});

test("parseConfig() bounds frame sizes and durations", () => {
  const cases: [string, string][] = [
    ["cloudHub:\n  maxFrameBytes: 99999999999999\n", "cloud.yaml: cloudHub.maxFrameBytes: expected a whole number from 1024 to 67108864, got 99999999999999"],
    ["cloudHub:\n  maxFrameBytes: 1000\n", "cloud.yaml: cloudHub.maxFrameBytes: expected a whole number from 1024 to 67108864, got 1000"],
    ["cloudHub:\n  keepaliveTimeout: 0\n", "cloud.yaml: cloudHub.keepaliveTimeout: expected a duration from 1s to 1h, such as 15s, 1m, 500ms or a number of seconds, got 0"],
    ["cloudHub:\n  keepaliveTimeout: 2h\n", "cloud.yaml: cloudHub.keepaliveTimeout: expected a duration from 1s to 1h, such as 15s, 1m, 500ms or a number of seconds, got \"2h\""],
    ["edgeController:\n  nodeGracePeriod: 99999999999999h\n", "cloud.yaml: edgeController.nodeGracePeriod: expected a duration from 100ms to 24h, such as 15s, 1m, 500ms or a number of seconds, got \"99999999999999h\""],
  ];
  for (const [text, expected] of cases) assert.is(errorOf(() => parseConfig(text, cloudSchema, "cloud.yaml")), expected);
  assert.is(parseConfig("cloudHub:\n  maxFrameBytes: 67108864\n  keepaliveTimeout: 1h\n", cloudSchema, "cloud.yaml").cloudHub.keepaliveTimeout, 3_600_000);
  assert.is(errorOf(() => parseConfig("edgeHub:\n  heartbeat: 0\n", edgeSchema, "edge.yaml")).split(",")[0], "edge.yaml: edgeHub.heartbeat: expected a duration from 1s to 10m");
});

test("resolveEdgeConfig() reads the internal broker's password from passwordFile and checks the pair", () => {
  const dir = mkdtempSync(join(tmpdir(), "cfg-"));
  try {
    writeFileSync(join(dir, "mqtt.pass"), "s3cret\nignored\n");
    const parse = (text: string) => resolveEdgeConfig(parseConfig(`nodeName: n1\n${text}`, edgeSchema, "edge.yaml"), dir);
    assert.equal(parse("eventBus:\n  internal:\n    username: dev\n    passwordFile: mqtt.pass\n").eventBus.internal.auth, { username: "dev", password: "s3cret" });
    assert.equal(parse("eventBus:\n  internal:\n    username: dev\n    password: pw\n").eventBus.internal.auth, { username: "dev", password: "pw" });
    assert.is(parse("").eventBus.internal.auth, undefined);
    const bad: [string, RegExp][] = [
      ["eventBus:\n  internal:\n    username: dev\n", /^eventBus\.internal\.password: expected password or passwordFile/],
      ["eventBus:\n  internal:\n    password: pw\n", /^eventBus\.internal\.username: expected a user name/],
      ["eventBus:\n  internal:\n    username: dev\n    password: pw\n    passwordFile: mqtt.pass\n", /^eventBus\.internal\.passwordFile: expected either/],
      ["eventBus:\n  internal:\n    username: dev\n    passwordFile: missing\n", /^eventBus\.internal\.passwordFile: expected a readable file, got ".*missing" \(ENOENT\)$/],
    ];
    for (const [text, re] of bad) {
      try {
        parse(text);
        assert.unreachable(text);
      } catch (e) {
        assert.instance(e, ConfigError);
        assert.match((e as Error).message, re);
        assert.not.match((e as Error).message, /pw|s3cret/, "no password in the message");
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
