/** The query parameters every write shares: `fieldManager` and `dryRun`. */
import { badRequest } from "../status_error.ts";
import type { WriteOptions } from "../object_service.ts";

/**
 * Reads the write options of a request URL.
 *
 * @throws StatusError 400 for a dryRun value other than "All"
 */
export function writeOptions(url: URL): WriteOptions {
  const dryRun = url.searchParams.getAll("dryRun");
  if (dryRun.some((v) => v !== "All")) throw badRequest(`Invalid dryRun value: ${dryRun.join(",")}; only "All" is supported`);
  return {
    fieldManager: url.searchParams.get("fieldManager") ?? undefined,
    dryRun: dryRun.length > 0,
  };
}
