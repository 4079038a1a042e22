// Where a store lives: a local folder or a prefix in an object-storage bucket (S3 and S3-compatible
// servers, Google Cloud Storage, Azure Blob). One parser for every front door (`--store`,
// `DEJAFIX_STORE`, the editor's setting), so they accept and refuse exactly the same strings.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors';

export type RemoteKind = 's3' | 'gs' | 'az';

export type StoreLocation =
  | { kind: 'local'; dir: string }
  | {
      kind: RemoteKind;
      /** The normalised URI LanceDB connects to: `s3://bucket/prefix` (no trailing slash). */
      uri: string;
      /** The S3/GCS bucket or the Azure container. */
      bucket: string;
      /** The folder inside the bucket, without leading or trailing slashes; '' for the bucket root. */
      prefix: string;
    };

export type RemoteLocation = Extract<StoreLocation, { kind: RemoteKind }>;

const SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//;

/** Bucket rules of each service (lower-case letters, digits, and `-` or `.`), checked before any request. */
const BUCKET: Record<RemoteKind, { re: RegExp; rule: string }> = {
  s3: { re: /^(?=.{3,63}$)[a-z0-9][a-z0-9.-]*[a-z0-9]$/, rule: '3–63 lower-case letters, digits, dots or hyphens' },
  gs: { re: /^(?=.{3,222}$)[a-z0-9][a-z0-9._-]*[a-z0-9]$/, rule: '3–222 lower-case letters, digits, dots, hyphens or underscores' },
  az: { re: /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9]))*$/, rule: '3–63 lower-case letters, digits or single hyphens' },
};

const ALIASES: Record<string, RemoteKind> = { s3: 's3', gs: 'gs', gcs: 'gs', az: 'az', azure: 'az' };

/**
 * Parses a store location. Plain paths (and `file://` URLs) are local folders, resolved against
 * `cwd`; `s3://`, `gs://` and `az://` name a prefix in a bucket or container. Throws a StoreError
 * (`bad-location`) that says what is wrong, never echoing credentials embedded in the string.
 */
export function parseStoreLocation(input: string, cwd = process.cwd()): StoreLocation {
  const s = input.trim();
  if (!s) throw new StoreError('bad-location', 'The store location is empty. Pass a folder or an s3://, gs:// or az:// URI.');
  if (/[\0\r\n]/.test(s)) throw new StoreError('bad-location', 'The store location contains a control character (NUL or a line break).');
  const m = SCHEME.exec(s);
  // `C:\x` and `C:/x` are Windows paths, not URIs: a scheme needs `://` and more than one letter.
  if (!m || m[1].length === 1) return { kind: 'local', dir: resolve(cwd, s) };
  const scheme = m[1].toLowerCase();
  if (scheme === 'file') {
    try {
      return { kind: 'local', dir: fileURLToPath(s) };
    } catch (e) {
      throw new StoreError('bad-location', `The store location is not a valid file:// URL: ${(e as Error).message}`);
    }
  }
  const kind = ALIASES[scheme];
  if (!kind) {
    throw new StoreError(
      'bad-location',
      `Unsupported store location scheme "${scheme}://". Use a folder, s3://bucket/prefix, gs://bucket/prefix or az://container/prefix.`,
    );
  }
  const rest = s.slice(m[0].length);
  if (/[?#]/.test(rest))
    throw new StoreError(
      'bad-location',
      `The ${kind}:// store location may not have a query (?) or fragment (#); credentials come from the environment or the editor's secret storage.`,
    );
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  if (authority.includes('@')) {
    // Never repeat what came before the @: it is probably a secret.
    throw new StoreError(
      'bad-location',
      `The ${kind}:// store location must not contain credentials (user:secret@). Put them in the environment (see "Object storage" in the README).`,
    );
  }
  const bucket = authority;
  if (!bucket)
    throw new StoreError(
      'bad-location',
      `The ${kind}:// store location names no ${kind === 'az' ? 'container' : 'bucket'}: use ${kind}://NAME/prefix.`,
    );
  if (!BUCKET[kind].re.test(bucket)) {
    throw new StoreError(
      'bad-location',
      `"${bucket.slice(0, 80)}" is not a valid ${kind === 'az' ? 'Azure container' : kind === 'gs' ? 'Cloud Storage bucket' : 'S3 bucket'} name (${BUCKET[kind].rule}).`,
    );
  }
  const segments = (slash < 0 ? '' : rest.slice(slash + 1)).split('/').filter((p) => p !== '');
  if (segments.some((p) => p === '.' || p === '..'))
    throw new StoreError('bad-location', `The ${kind}:// store prefix may not contain "." or ".." segments.`);
  if (segments.some((p) => p.includes('\\') || [...p].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)))
    throw new StoreError('bad-location', `The ${kind}:// store prefix may not contain backslashes or control characters.`);
  const prefix = segments.join('/');
  if (prefix.length > 700)
    throw new StoreError('bad-location', `The ${kind}:// store prefix is too long (${prefix.length} characters; at most 700).`);
  return { kind, bucket, prefix, uri: `${kind}://${bucket}${prefix ? `/${prefix}` : ''}` };
}

/** True when the location names object storage rather than a local folder (no validation). */
export function isRemoteStore(input: string): boolean {
  const m = SCHEME.exec(input.trim());
  return !!m && m[1].toLowerCase() in ALIASES;
}

/** The location as shown to users and in logs: the folder, or the normalised URI. */
export function describeLocation(loc: StoreLocation): string {
  return loc.kind === 'local' ? loc.dir : loc.uri;
}
