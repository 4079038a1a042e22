// Where `ExperienceStore.open` connects: a local folder (checked and created with the file system)
// or a prefix on object storage (no file-system calls; credentials resolved from the environment and
// the caller's options; writes only after the conditional-write guard). Both end in a LanceDB
// connection, so everything above the store works the same on either.
import { stat } from 'node:fs/promises';
import type { Connection } from '@lancedb/lancedb';
import type { Logger } from '../util/logger';
import { assertReadable, ensureWritable } from './access';
import { StoreError } from './errors';
import type { LanceModule } from './lance';
import { describeLocation, parseStoreLocation } from './location';
import { resolveRemote, type RemoteOptions, type ResolvedRemote } from './remote/config';
import { remoteError } from './remote/errors';
import { ensureSafeToWrite } from './remote/guard';
import { checkReachable } from './remote/probe';
import { assertSasValid } from './remote/sas';

export interface StoreTarget {
  /** The folder or normalised URI, as shown to users. */
  display: string;
  /** The folder, for a store on the local file system. */
  localDir?: string;
  remote: ResolvedRemote | undefined;
  /** Must be awaited before anything is written (the conditional-write guard on object storage). */
  beforeWrite(): Promise<void>;
  connect(lance: LanceModule): Promise<Connection>;
}

export async function prepareTarget(
  dirOrUri: string,
  mode: 'read' | 'write',
  remoteOpts: RemoteOptions | undefined,
  log: Logger,
  /** A store others share on purpose: a new folder gets the umask's modes, not 0700. */
  shared = false,
): Promise<StoreTarget> {
  const loc = parseStoreLocation(dirOrUri);
  const display = describeLocation(loc);
  if (loc.kind === 'local') {
    if (mode === 'read') {
      const exists = await stat(loc.dir).then(
        (s) => s.isDirectory(),
        () => false,
      );
      if (!exists)
        throw new StoreError('missing', `No Dejafix store at ${loc.dir}. Import something first (dejafix import …) or pass --store.`);
    } else {
      await ensureWritable(loc.dir, !shared);
    }
    await assertReadable(loc.dir);
    return {
      display,
      localDir: loc.dir,
      remote: undefined,
      beforeWrite: async () => undefined,
      connect: (lance) => lance.connect(loc.dir, { readConsistencyInterval: 0 }),
    };
  }
  const remote = resolveRemote(loc, remoteOpts);
  assertSasValid(remote);
  const beforeWrite = () => ensureSafeToWrite(remote, log);
  // A write checks the server with its conditional-write probe; a read with one small listing.
  if (mode === 'write') await beforeWrite();
  else await checkReachable(remote).catch((e: unknown) => Promise.reject(remoteError(remote, e, `reaching ${loc.uri}`)));
  return {
    display,
    remote,
    beforeWrite,
    connect: async (lance) => {
      try {
        return await lance.connect(loc.uri, { readConsistencyInterval: 0, storageOptions: remote.storageOptions });
      } catch (e) {
        throw remoteError(remote, e, `connecting to ${loc.uri}`);
      }
    },
  };
}
