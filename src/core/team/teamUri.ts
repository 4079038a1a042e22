// Checks a team store location: a folder (e.g. on a shared drive) or s3://, gs://, az://, file:// URIs.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DejafixError } from '../util/errors';

const REMOTE = /^(s3|gs|az):\/\/[^/\s]+(\/.*)?$/;

export class TeamError extends DejafixError {
  constructor(code: string, message: string) {
    super(message, { code });
    this.name = 'TeamError';
  }
}

/** The location to open: remote URIs as given, folders resolved to absolute paths. */
export function teamLocation(uri: string | undefined): string {
  const u = (uri ?? '').trim();
  if (!u) throw new TeamError('team-uri', 'No team store given: pass --team URI (s3://bucket/prefix, gs://…, az://…, or a shared folder).');
  if (u.includes('\u0000') || /[\r\n]/.test(u)) throw new TeamError('team-uri', 'The team store URI contains control characters.');
  if (REMOTE.test(u)) return u;
  if (u.startsWith('file://')) {
    try {
      return fileURLToPath(u);
    } catch {
      throw new TeamError('team-uri', `Not a valid file URI: ${u.slice(0, 200)}`);
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(u);
  if (scheme) throw new TeamError('team-uri', `Unsupported team store scheme ${scheme[1]}://: use s3://, gs://, az:// or a folder.`);
  return resolve(u);
}
