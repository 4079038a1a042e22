// s3rver with Amazon S3's documented behaviour where LanceDB depends on it, for the tests of
// concurrent writers on S3. Plain s3rver 3.7.1 (a) ignores `If-None-Match: *` on PUT and on
// CompleteMultipartUpload, so two writers of the same manifest both "win" and rows are lost; (b)
// never returns CommonPrefixes for keys two or more levels below the prefix, so a delimiter listing
// (how LanceDB finds tables: `GET ?list-type=2&prefix=mem/&delimiter=/`) is empty; (c) writes the
// object file in place, so a concurrent reader can see half an object. This store subclass fixes
// the three: the conditional create answers `412 PreconditionFailed` when the key exists (checked
// after authentication, as S3 does, atomically per key), listings group by delimiter over the sorted
// keys, and each object is staged then renamed into place (S3 PUTs are atomic). Listings come in
// one page whatever max-keys says (s3rver's continuation tokens need DES, absent from OpenSSL 3).
//
// Calls LanceDB 0.31 makes on S3 (logged against this server): `PUT …/_versions/N.manifest` with
// `If-None-Match: *` (its ConditionalPutCommitHandler — no copy or rename), plain PUTs of data,
// transaction and index files, `GET ?list-type=2&prefix=…/_versions/`, ranged GETs, DELETEs on
// cleanup, and the delimiter listing above for table names.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/* eslint-disable @typescript-eslint/no-require-imports */
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (dir: string) => FsStore;
const S3Error = require('s3rver/lib/models/error') as new (code: string, message: string, detail?: Record<string, string>) => Error;
const S3Object = require('s3rver/lib/models/object') as new (
  bucket: string,
  key: string,
  content: unknown,
  metadata: Record<string, unknown>,
) => unknown;
/* eslint-enable @typescript-eslint/no-require-imports */

interface FsStore {
  rootDirectory: string;
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, unknown>, md5?: string): Promise<void>;
  existsObject(bucket: string, key: string): Promise<boolean>;
}

interface PutObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, unknown>;
}

interface ListOptions {
  delimiter?: string;
  startAfter?: string;
  prefix?: string;
  maxKeys?: number;
}

/** The request headers of the S3 call being served, so the store can see its preconditions. */
const request = new AsyncLocalStorage<{ ifNoneMatch: string | undefined }>();

const OBJECT_SUFFIX = '._S3rver_object';

class StrictStore extends FilesystemStore {
  private readonly locks = new Map<string, Promise<void>>();

  constructor(
    dir: string,
    private readonly staging: string,
  ) {
    super(dir);
  }

  /** Runs `fn` alone for this key (conditional creates of one key are decided one at a time). */
  private async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const before = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chain = before.then(() => mine);
    this.locks.set(id, chain);
    await before;
    try {
      return await fn();
    } finally {
      release();
      if (this.locks.get(id) === chain) this.locks.delete(id);
    }
  }

  async putObject(object: PutObject): Promise<{ size: number; md5: string }> {
    await fs.mkdir(this.staging, { recursive: true });
    const staged = join(this.staging, randomUUID());
    const hash = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    });
    const source = Buffer.isBuffer(object.content) ? [object.content] : object.content;
    await pipeline(source, count, createWriteStream(staged));
    const md5 = hash.digest('hex');
    const ifNoneMatch = request.getStore()?.ifNoneMatch;
    const target = this.getResourcePath(object.bucket, object.key, 'object');
    try {
      await this.exclusive(`${object.bucket}/${object.key}`, async () => {
        if (ifNoneMatch === '*' && (await this.existsObject(object.bucket, object.key))) {
          throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
            Condition: 'If-None-Match',
          });
        }
        // The object file appears last and whole: until this rename the key does not exist. A
        // concurrent DELETE may remove the (then empty) folder in between; make it again.
        for (let attempt = 1; ; attempt++) {
          try {
            await fs.mkdir(dirname(target), { recursive: true });
            await this.putMetadata(object.bucket, object.key, object.metadata, md5);
            await fs.rename(staged, target);
            return;
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw e;
          }
        }
      });
    } finally {
      await fs.rm(staged, { force: true });
    }
    return { size, md5 };
  }

  async listObjects(bucket: string, options: ListOptions): Promise<{ objects: unknown[]; commonPrefixes: string[]; isTruncated: boolean }> {
    const { delimiter = '', startAfter = '', prefix = '' } = options;
    const root = this.getBucketPath(bucket);
    // Walk only below the prefix's last complete folder.
    const base = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const keys = (await walk(join(root, base)))
      .map((file) => posix.join(base, file.slice(0, -OBJECT_SUFFIX.length)))
      .filter((key) => key.startsWith(prefix) && key > startAfter)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const prefixes = new Set<string>();
    const chosen: string[] = [];
    for (const key of keys) {
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      if (cut >= 0) prefixes.add(key.slice(0, cut + delimiter.length));
      else chosen.push(key);
    }
    const objects: unknown[] = [];
    for (const key of chosen) {
      const metadata = await this.getMetadata(bucket, key).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return undefined; // deleted while listing
        throw e;
      });
      if (metadata) objects.push(new S3Object(bucket, key, null, metadata));
    }
    // Never truncated: s3rver makes continuation tokens with DES, which OpenSSL 3 (Node ≥ 17) lacks,
    // so a second page would be a 500. One long page is still a valid answer for S3 clients.
    return { objects, commonPrefixes: [...prefixes].sort(), isTruncated: false };
  }
}

/** Every object file below `dir`, as paths relative to it (posix), or [] when it does not exist. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') return [];
    throw e;
  });
  for (const entry of entries) {
    if (entry.isDirectory()) out.push(...(await walk(join(dir, entry.name))).map((f) => `${entry.name}/${f}`));
    else if (entry.name.endsWith(OBJECT_SUFFIX)) out.push(entry.name);
  }
  return out;
}

interface S3rverLike {
  store: unknown;
  context: { store: unknown };
  middleware: ((ctx: { get(h: string): string }, next: () => Promise<void>) => Promise<void>)[];
}

/**
 * Gives an s3rver instance (before `run()`) S3's conditional creates, delimiter listings and atomic
 * PUTs. `staging` is a scratch folder on the same file system as the data directory.
 */
export function makeStrict(server: S3rverLike, directory: string, staging: string): void {
  const store = new StrictStore(directory, staging);
  server.store = store;
  server.context.store = store;
  server.middleware.unshift((ctx, next) => request.run({ ifNoneMatch: ctx.get('if-none-match') || undefined }, next));
}
