/**
 * Joins the API's exec session (kubectl's websocket) to a stream: stdin and terminal sizes go to the node, stdout
 * and stderr come back with the client's backpressure, and the node's exit code ends it.
 *
 * @module
 */
import type { ExecSession } from "../apiserver/index.ts";
import type { CloudStream } from "./cloud_stream.ts";
import { StreamError } from "./stream_error.ts";

/**
 * Runs the session until the node reports the exit code.
 *
 * @returns the command's exit code
 * @throws StreamError when the stream fails, or the client went away
 */
export async function bridgeExec(stream: CloudStream, session: ExecSession): Promise<{ exitCode: number }> {
  // Input pumps end by themselves once the stream is over (writes throw); the API ends their iterables afterwards.
  if (session.stdin) void pumpStdin(stream, session.stdin);
  void pumpResize(stream, session.resize);
  for await (const out of stream.output()) {
    await (out.channel === "stderr" ? session.stderr(out.bytes) : session.stdout(out.bytes));
  }
  const exitCode = stream.exitCode;
  if (exitCode === undefined) throw new StreamError("STREAM_CLOSED", 502, "Cannot run exec: the stream ended without an exit code");
  return { exitCode };
}

async function pumpStdin(stream: CloudStream, stdin: AsyncIterable<Uint8Array>): Promise<void> {
  try {
    for await (const chunk of stdin) {
      if (stream.state === "ended") return;
      await stream.writeStdin(chunk);
    }
    await stream.closeStdin();
  } catch {
    // The stream ended while stdin was still flowing: nothing left to deliver it to.
  }
}

async function pumpResize(stream: CloudStream, sizes: ExecSession["resize"]): Promise<void> {
  try {
    for await (const size of sizes) {
      if (stream.state === "ended") return;
      await stream.resize(size.width, size.height);
    }
  } catch {
    // As for stdin: a resize after the end has no terminal to go to.
  }
}
