/**
 * The bytes of a log stream for the API's `pods/log` handler.
 *
 * @module
 */
import type { CloudStream } from "./cloud_stream.ts";

/**
 * Waits for the first output or the end of the log, then hands the rest on as an iterable. Waiting first lets a
 * log the node cannot serve (no such container) fail the request with its HTTP status instead of an empty 200.
 *
 * @throws StreamError when the node refuses or the stream fails before any output
 */
export async function logOutput(stream: CloudStream): Promise<AsyncIterable<Uint8Array>> {
  const it = stream.output();
  const first = await it.next();
  return (async function* () {
    try {
      if (first.done) return;
      yield first.value.bytes;
      for (;;) {
        const next = await it.next();
        if (next.done) return;
        yield next.value.bytes;
      }
    } finally {
      await it.return(undefined);
    }
  })();
}
