/** The query parameters every write shares (`fieldManager`, `dryRun`, `fieldValidation`) and the warnings a write returns. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { fieldValidationOf } from "../field_validation.ts";
import { badRequest } from "../status_error.ts";
import type { WriteOptions } from "../object_service.ts";

/**
 * Reads the write options of a request URL.
 *
 * @returns the options, with an empty `warnings` list the write fills
 * @throws StatusError 400 for a dryRun value other than "All" or an unknown fieldValidation
 */
export function writeOptions(url: URL, optionsKind: "CreateOptions" | "UpdateOptions" | "PatchOptions"): WriteOptions & { warnings: string[] } {
  const dryRun = url.searchParams.getAll("dryRun");
  if (dryRun.some((v) => v !== "All")) throw badRequest(`Invalid dryRun value: ${dryRun.join(",")}; only "All" is supported`);
  return {
    fieldManager: url.searchParams.get("fieldManager") ?? undefined,
    dryRun: dryRun.length > 0,
    force: url.searchParams.get("force") === "true",
    fieldValidation: fieldValidationOf(url, optionsKind),
    warnings: [],
  };
}

/** Sets one `Warning: 299 - "<text>"` header per warning (RFC 7234 form, as the real apiserver sends). */
export function setWarnings(res: ServerResponse, warnings: readonly string[]): void {
  if (warnings.length) res.setHeader("Warning", warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

/**
 * The manager an `Update` managedFields entry names: `fieldManager`, else the User-Agent up to its first "/"
 * (`kubectl` for `kubectl/v1.32.4 (linux/amd64)`), else "unknown", as the real apiserver picks.
 */
export function updateManagerOf(req: IncomingMessage, url: URL): string {
  const param = url.searchParams.get("fieldManager");
  if (param) return param;
  const agent = (req.headers["user-agent"] ?? "").split("/")[0]!.trim();
  return agent || "unknown";
}
