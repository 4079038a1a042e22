// An Azure shared access signature (SAS) carries its own validity window (`st`, `se`): an expired
// one is reported before any request, with the time it expired, rather than as the server's bare
// 403 "AuthenticationFailed" (which says nothing about time).
import { StoreError } from '../errors';
import type { ResolvedRemote } from './config';
import { scrub } from './errors';

/** Throws when the store's SAS token is past its expiry (or not yet valid); does nothing otherwise. */
export function assertSasValid(r: ResolvedRemote, now = Date.now()): void {
  const sas = r.storageOptions.azure_storage_sas_key;
  if (r.loc.kind !== 'az' || !sas) return;
  const params = new URLSearchParams(sas.replace(/^\?/, ''));
  const expiry = Date.parse(params.get('se') ?? '');
  const start = Date.parse(params.get('st') ?? '');
  const where = `${r.loc.uri}${r.endpoint ? ` at ${r.endpoint}` : ''}`;
  if (!Number.isNaN(expiry) && expiry <= now) {
    throw new StoreError(
      'remote',
      scrub(
        `The shared access signature (SAS) for ${where} expired at ${new Date(expiry).toISOString()} (${r.identity}). Create a new SAS token and retry.`,
        r.secrets,
      ),
    );
  }
  if (!Number.isNaN(start) && start > now + 15 * 60_000) {
    throw new StoreError(
      'remote',
      scrub(
        `The shared access signature (SAS) for ${where} is not valid before ${new Date(start).toISOString()} (${r.identity}). Check the token's start time and this machine's clock.`,
        r.secrets,
      ),
    );
  }
}
