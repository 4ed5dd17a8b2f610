/**
 * Bundles an entry point into one CommonJS file for Node 20: the form a Node single executable (armv7) takes, and
 * what the armv6 bundle runs. Everything is inlined, the sql.js wasm included (wasm/sqljs.ts imports the inline
 * build), so the file needs nothing beside it.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { build, type Plugin } from "esbuild";
import { readFile } from "node:fs/promises";

/** Options of {@link bundleCjs}. */
export type CjsBundleOptions = {
  /** Minify the output. @default true */
  minify?: boolean;
};

/** What was written. */
export type CjsBundle = { file: string; bytes: number; warnings: string[] };

const DEFAULTS = { minify: true } satisfies CjsBundleOptions;

/**
 * Optional native addons of ws (`bufferutil`, `utf-8-validate`) and debug (`supports-color`). Their callers wrap the
 * require in try/catch and fall back to JavaScript, so they are replaced by a module that fails like a missing one;
 * an empty object instead would be taken as present and crash ws on its first large frame.
 */
const MISSING_OPTIONAL = ["bufferutil", "utf-8-validate", "supports-color"];
const MISSING_SOURCE = `const e = new Error("Cannot find module: left out of the single-file build"); e.code = "MODULE_NOT_FOUND"; throw e;\n`;

/**
 * CommonJS has no top-level await, but an entry's last statement `await runMain(…)` needs none: nothing runs after
 * it, and runMain handles its own errors. The plugin drops that one `await` in entry files only; any other
 * top-level await still fails the bundle with esbuild's own message.
 */
function entryAwaitPlugin(entry: string): Plugin {
  return {
    name: "entry-await",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path !== entry) return undefined;
        const source = await readFile(args.path, "utf8");
        return { contents: source.replace(/^await (runMain\()/m, "void $1"), loader: "ts" };
      });
    },
  };
}

/**
 * Writes `outfile`, a minified CommonJS bundle of `entry` for Node 20.
 *
 * @param entry absolute path of the TypeScript entry (e.g. cmd/edge_core.ts)
 * @param outfile where the `.cjs` goes
 * @returns its path, size and esbuild's warnings
 * @throws Error with esbuild's messages when bundling fails
 */
export async function bundleCjs(entry: string, outfile: string, options: CjsBundleOptions = {}): Promise<CjsBundle> {
  const opts = { ...DEFAULTS, ...options };
  mkdirSync(dirname(outfile), { recursive: true });
  const missing = join(dirname(outfile), "missing_optional.cjs");
  writeFileSync(missing, MISSING_SOURCE);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minify: opts.minify,
    legalComments: "none",
    logLevel: "silent",
    alias: Object.fromEntries(MISSING_OPTIONAL.map((m) => [m, missing])),
    // import.meta does not exist in CommonJS: give it the bundle's own location
    define: { "import.meta.url": "__kubeedge_import_meta_url" },
    banner: { js: `var __kubeedge_import_meta_url = require("node:url").pathToFileURL(__filename).href;` },
    plugins: [entryAwaitPlugin(entry)],
    metafile: true,
  });
  const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
  return { file: outfile, bytes, warnings: result.warnings.map((w) => w.text) };
}
