/** A registry, storage, object service and deleter over an in-memory store, for unit tests of the write path. */
import { Deleter } from "../../../lib/cloud/apiserver/deleter.ts";
import { NamespaceDefaults } from "../../../lib/cloud/apiserver/namespace_defaults.ts";
import { ObjectService } from "../../../lib/cloud/apiserver/object_service.ts";
import { Registry } from "../../../lib/cloud/apiserver/registry.ts";
import { ObjectStorage } from "../../../lib/cloud/apiserver/storage.ts";
import type { ResourceInfo } from "../../../lib/cloud/apiserver/types.ts";
import { WatchHub } from "../../../lib/cloud/apiserver/watch_hub.ts";
import { silentLogger } from "../../../lib/log/index.ts";
import { openMemoryStore } from "../../../lib/store/index.ts";

export type Fixture = {
  service: ObjectService;
  deleter: Deleter;
  storage: ObjectStorage;
  hub: WatchHub;
  info(group: string, resource: string): ResourceInfo;
};

/** The CA text the fixture publishes in `kube-root-ca.crt`. */
export const FIXTURE_CA = "-----BEGIN CERTIFICATE-----\nfixture\n-----END CERTIFICATE-----\n";

/** Builds the write path with the namespaces `default` and `other`. */
export async function fixture(options: { podDeletionTimeoutMs?: number } = {}): Promise<Fixture> {
  const storage = await ObjectStorage.open(await openMemoryStore(), silentLogger);
  const hub = new WatchHub(storage.resourceVersion);
  storage.attach(hub);
  const registry = new Registry();
  const service = new ObjectService(registry, storage, silentLogger);
  const deleter = new Deleter(service, silentLogger, options);
  const info = (group: string, resource: string) => {
    const found = registry.all().find((i) => i.group === group && i.resource === resource);
    if (!found) throw new Error(`no resource ${group}/${resource}`);
    return found;
  };
  // as in the API server: every namespace gets its default ServiceAccount, which pod admission needs
  const defaults = new NamespaceDefaults(service, FIXTURE_CA, silentLogger);
  await defaults.start(hub);
  for (const name of ["default", "other"]) {
    await service.create(info("", "namespaces"), "", { metadata: { name } });
    await defaults.ensure(name);
  }
  return { service, deleter, storage, hub, info };
}

