/**
 * Writes a container image archive without an engine: an OCI image layout (`oci-layout`, `index.json`,
 * `blobs/sha256/…`) that also carries Docker's `manifest.json`, so both `docker load` and OCI tools read it. Layers
 * are stored gzip-compressed; the config lists their uncompressed digests (`diff_ids`) as the spec requires.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, rmSync, statSync } from "node:fs";
import { pipeline } from "node:stream/promises";
import { Transform } from "node:stream";
import { createGzip } from "node:zlib";
import { TarWriter } from "./tar_writer.ts";

/** The runtime part of an image config (OCI image config `config`). */
export type ContainerConfig = {
  User?: string;
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  Volumes?: Record<string, object>;
  ExposedPorts?: Record<string, object>;
  Labels?: Record<string, string>;
};

/** What goes into the archive. */
export type ImageSpec = {
  /** Uncompressed layer tars, lowest first. */
  layers: string[];
  config: ContainerConfig;
  /** Name and tag given on load, e.g. `kubeedge-ts/cloud_core:0.1.0`. */
  repoTag: string;
  /** OCI architecture. @default "amd64" */
  architecture?: string;
  /** Written into the history entry. */
  createdBy?: string;
};

const EPOCH = "1970-01-01T00:00:00Z";
const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
};

type Blob = { digest: string; size: number; path?: string; data?: Buffer };

function hashing(hash: ReturnType<typeof createHash>): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
}

async function compressLayer(layer: string): Promise<{ diffId: string; blob: Blob }> {
  const raw = createHash("sha256");
  const packed = createHash("sha256");
  const path = `${layer}.gz`;
  await pipeline(createReadStream(layer), hashing(raw), createGzip({ level: 6 }), hashing(packed), createWriteStream(path));
  return { diffId: `sha256:${raw.digest("hex")}`, blob: { digest: `sha256:${packed.digest("hex")}`, size: statSync(path).size, path } };
}

function jsonBlob(value: unknown): Blob {
  const data = Buffer.from(JSON.stringify(value));
  return { digest: `sha256:${createHash("sha256").update(data).digest("hex")}`, size: data.length, data };
}

const blobPath = (b: Blob) => `blobs/sha256/${b.digest.slice("sha256:".length)}`;

/**
 * Writes the image archive `outfile` (a plain tar: `docker load -i outfile`).
 *
 * @param outfile the archive to write
 * @param spec layers, config and name
 * @returns the image id (the config digest) and the archive size in bytes
 */
export async function writeImageArchive(outfile: string, spec: ImageSpec): Promise<{ imageId: string; bytes: number }> {
  const layers = [];
  for (const l of spec.layers) layers.push(await compressLayer(l));
  try {
    const config = jsonBlob({
      created: EPOCH,
      architecture: spec.architecture ?? "amd64",
      os: "linux",
      config: spec.config,
      rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
      history: layers.map(() => ({ created: EPOCH, created_by: spec.createdBy ?? "build.ts --image" })),
    });
    const manifest = jsonBlob({
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: { mediaType: MEDIA.config, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: MEDIA.layer, digest: l.blob.digest, size: l.blob.size })),
    });
    const [name, tag] = [spec.repoTag.slice(0, spec.repoTag.lastIndexOf(":")), spec.repoTag.slice(spec.repoTag.lastIndexOf(":") + 1)];
    const index = {
      schemaVersion: 2,
      mediaType: MEDIA.index,
      manifests: [
        {
          mediaType: MEDIA.manifest,
          digest: manifest.digest,
          size: manifest.size,
          annotations: { "io.containerd.image.name": `docker.io/${name}:${tag}`, "org.opencontainers.image.ref.name": tag },
        },
      ],
    };
    const dockerManifest = [{ Config: blobPath(config), RepoTags: [spec.repoTag], Layers: layers.map((l) => blobPath(l.blob)) }];
    const tar = new TarWriter(createWriteStream(outfile));
    await tar.file("oci-layout", Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" })));
    await tar.file("index.json", Buffer.from(JSON.stringify(index)));
    await tar.file("manifest.json", Buffer.from(JSON.stringify(dockerManifest)));
    await tar.directory("blobs");
    await tar.directory("blobs/sha256");
    for (const b of [config, manifest]) await tar.file(blobPath(b), b.data!);
    for (const l of layers) await tar.fileFrom(blobPath(l.blob), l.blob.path!);
    await tar.finish();
    return { imageId: config.digest, bytes: statSync(outfile).size };
  } finally {
    for (const l of layers) rmSync(l.blob.path!, { force: true });
  }
}
