import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeMessage, encodeMessage, errorReplyTo, isReply, MessageFormatError, newMessage, replyTo } from "../../lib/model/index.ts";

// KubeEdge's example message, compacted: it must round-trip byte for byte
const SPEC_EXAMPLE =
  '{"header":{"msg_id":"9f125cca-073f-4597-a833-5725ee0ad362","parent_msg_id":"","timestamp":1559966875296,' +
  '"resourceversion":"9956","sync":false},"route":{"source":"edgecontroller","group":"resource","operation":"insert",' +
  '"resource":"default/pod/nginx-5f76494c55-bmj9k"},"content":{"apiVersion":"v1","kind":"Pod","metadata":' +
  '{"name":"nginx-5f76494c55-bmj9k","namespace":"default"}}}';

test("encodeMessage() round-trips KubeEdge's example message byte for byte", () => {
  assert.is(encodeMessage(decodeMessage(SPEC_EXAMPLE)), SPEC_EXAMPLE);
});

test("decodeMessage() accepts v1.0 binary frames", () => {
  const m = decodeMessage(new TextEncoder().encode(SPEC_EXAMPLE));
  assert.is(m.route.resource, "default/pod/nginx-5f76494c55-bmj9k");
  assert.is(m.header.resourceversion, "9956");
});

test("decodeMessage() accepts later variants with omitted keys, type and destination", () => {
  const later = '{"header":{"msg_id":"a","timestamp":5,"type":"x"},"route":{"source":"s","destination":"d","group":"g","operation":"update","resource":"ns/pod/p"},"content":null}';
  const m = decodeMessage(later);
  assert.equal(m.header, { msg_id: "a", parent_msg_id: "", timestamp: 5, resourceversion: "", sync: false, type: "x" });
  assert.is(m.route.destination, "d");
  assert.is(encodeMessage(m), '{"header":{"msg_id":"a","parent_msg_id":"","timestamp":5,"resourceversion":"","sync":false,"type":"x"},"route":{"source":"s","destination":"d","group":"g","operation":"update","resource":"ns/pod/p"},"content":null}');
});

test("decodeMessage() rejects non-JSON with MSG_NOT_JSON", () => {
  for (const bad of ["not json", new Uint8Array([0xff, 0xfe, 0x00])]) {
    try {
      decodeMessage(bad);
      assert.unreachable("should throw");
    } catch (e) {
      assert.instance(e, MessageFormatError);
      assert.is((e as MessageFormatError).code, "MSG_NOT_JSON");
    }
  }
});

test("decodeMessage() rejects JSON that is not a message with MSG_BAD_SHAPE and names the field", () => {
  const cases: [string, RegExp][] = [
    ["[1,2]", /not a JSON object/],
    ['{"header":{},"route":{"operation":"x","resource":"y"}}', /header.msg_id is missing/],
    ['{"header":{"msg_id":"a"},"route":{"resource":"y"}}', /route.operation is missing/],
    ['{"header":{"msg_id":"a","timestamp":"x"},"route":{"operation":"o","resource":"y"}}', /header.timestamp/],
    ['{"header":{"msg_id":7},"route":{"operation":"o","resource":"y"}}', /header.msg_id is not a string/],
  ];
  for (const [text, re] of cases) {
    try {
      decodeMessage(text);
      assert.unreachable(text);
    } catch (e) {
      assert.is((e as MessageFormatError).code, "MSG_BAD_SHAPE", text);
      assert.match((e as Error).message, re);
    }
  }
});

test("replyTo() carries the parent id and the request's resource", () => {
  const req = newMessage({ source: "metaManager", group: "meta", operation: "query", resource: "default/configmap/c", content: null, sync: true });
  const rep = replyTo(req, { data: {} }, "edgecontroller");
  assert.is(rep.header.parent_msg_id, req.header.msg_id);
  assert.is.not(rep.header.msg_id, req.header.msg_id);
  assert.is(rep.route.operation, "response");
  assert.is(rep.route.resource, "default/configmap/c");
  assert.ok(isReply(rep));
  const err = errorReplyTo(req, "not found");
  assert.is(err.route.operation, "error");
  assert.is(err.content, "not found");
  assert.ok(isReply(err));
  assert.not.ok(isReply(req));
});

test("newMessage() makes UUIDv4 ids and millisecond timestamps", () => {
  const m = newMessage({ source: "s", group: "g", operation: "insert", resource: "r/pod", content: 1 });
  assert.match(m.header.msg_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(Math.abs(m.header.timestamp - Date.now()) < 5000);
});

test.run();
