// The write guard for stores on object storage: before the first write in this process, the store's
// server must prove it honours conditional writes (probe.ts), or the user must have said that only
// one writer exists (`--unsafe-single-writer`, DEJAFIX_UNSAFE_SINGLE_WRITER=1, the editor setting
// `dejafix.store.unsafeSingleWriter`). Each store's answer is cached for the process.
import type { Logger } from '../../util/logger';
import { StoreError } from '../errors';
import type { ResolvedRemote } from './config';
import { remoteError } from './errors';
import { probeConditionalWrites, type ProbeResult } from './probe';

const answers = new Map<string, Promise<ProbeResult>>();

function cacheKey(r: ResolvedRemote): string {
  return [r.loc.kind, r.endpoint ?? '', r.loc.bucket, r.loc.prefix, r.identity].join('\n');
}

/** Forgets cached probe answers (tests, or after the user changed the server). */
export function forgetProbeAnswers(): void {
  answers.clear();
}

export const UNSAFE_HINT =
  'Pass --unsafe-single-writer (or set DEJAFIX_UNSAFE_SINGLE_WRITER=1, or the setting dejafix.store.unsafeSingleWriter) only if no other process or machine ever writes to this store.';

/** Resolves when writing is safe (or allowed anyway); throws a StoreError (`unsafe-remote` or `remote`) otherwise. */
export async function ensureSafeToWrite(r: ResolvedRemote, log: Logger): Promise<void> {
  if (r.unsafeSingleWriter) {
    log.warn(`${r.loc.uri}: conditional writes not checked (unsafe single-writer mode); a second writer could lose data`);
    return;
  }
  const key = cacheKey(r);
  let answer = answers.get(key);
  if (!answer) {
    answer = probeConditionalWrites(r).catch((e) => {
      answers.delete(key); // a failed probe (network, 403) is asked again next time
      throw remoteError(r, e, 'checking that the server honours conditional writes');
    });
    answers.set(key, answer);
  }
  const result = await answer;
  if (!result.honoured) {
    throw new StoreError(
      'unsafe-remote',
      `Refusing to write to ${r.loc.uri}${r.endpoint ? ` at ${r.endpoint}` : ''}: the server does not honour conditional writes (${result.detail}), so two writers at once would silently lose data. Use a server that supports If-None-Match (AWS S3, MinIO, R2, Azure, GCS). ${UNSAFE_HINT}`,
    );
  }
  log.debug(`${r.loc.uri} honours conditional writes (${result.detail})`);
}
