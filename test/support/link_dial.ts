/**
 * One link upgrade with a node's certificate, reporting how cloudhub answered: what a test of link admission checks.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import WebSocket from "ws";

/** How cloudhub answered: 101 when the link opened (it is closed again at once), else the refusal's status and cause. */
export type DialAnswer = { status: number; refusal?: string };

/**
 * Dials `wss://127.0.0.1:<port>/p1/<node>/events` with the PEM files of a node certificate.
 *
 * @returns the answer; rejects only when no HTTP answer came (connection or TLS error)
 */
export function dialLink(port: number, node: string, files: { ca: string; cert: string; key: string }): Promise<DialAnswer> {
  const ws = new WebSocket(`wss://127.0.0.1:${port}/p1/${node}/events`, {
    ca: readFileSync(files.ca), cert: readFileSync(files.cert), key: readFileSync(files.key), headers: { node_id: node },
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => {
      ws.close();
      resolve({ status: 101 });
    });
    ws.once("unexpected-response", (_req, res) => {
      res.resume();
      ws.terminate();
      resolve({ status: res.statusCode ?? 0, refusal: res.headers["x-kubeedge-refusal"] as string | undefined });
    });
    ws.once("error", reject);
  });
}
