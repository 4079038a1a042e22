// Every byte of a store folder, for tests that prove a secret is nowhere on disk: data files,
// deletion files, manifests, indexes and old versions alike.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file under `dir`, read as latin1 (so any byte sequence can be searched for). */
export function storeBytes(dir: string): string {
  const parts: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else parts.push(readFileSync(p).toString('latin1'));
    }
  };
  walk(dir);
  return parts.join('\n');
}

/** The forms a secret may take in a file: as it is, base64, JSON-escaped, UTF-8 bytes read as latin1. */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const utf8 = Buffer.from(secret, 'utf8').toString('latin1');
  return [...new Set([secret, Buffer.from(secret).toString('base64'), json, utf8])];
}

/** The secrets (by label) that occur in `haystack` in any of their forms. */
export function leaksIn(haystack: string, secrets: { id: string; secret: string }[]): string[] {
  return secrets.filter((s) => secretForms(s.secret).some((f) => haystack.includes(f))).map((s) => s.id);
}
