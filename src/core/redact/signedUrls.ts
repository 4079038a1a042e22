import { type Hit, rank } from './types';
import { looksRandom } from './values';

/**
 * The signature of a presigned or signed URL, which grants access to its object until it expires:
 * `X-Amz-Signature=` (S3), `X-Goog-Signature=` (Cloud Storage), `Signature=` (CloudFront, OSS), `signature=`,
 * `sig=` and `hmac=` query parameters, and an Azure Functions key (`?code=…`, also an OAuth code in a callback).
 * The value must look generated: 32+ hex digits, or 16+ characters that look random (20+ for `code`);
 * `?code=200`, `&sig=v1` stay. One regex that starts at `?` or `&`, with bounded repetition.
 */
const PARAM = /[?&](x-amz-signature|x-goog-signature|signature|sig|hmac|code)=([^&\s#"'<>\\]{16,2048})/dgi;

function generated(name: string, v: string): boolean {
  const value = v.replace(/%[0-9A-Fa-f]{2}/g, '');
  if (/^[0-9a-f]{32,}$/i.test(value)) return true;
  return looksRandom(value, name.toLowerCase() === 'code' ? 20 : 16) && /\d/.test(value);
}

export function findSignedUrlSecrets(text: string): Hit[] {
  if (!text.includes('=')) return [];
  const hits: Hit[] = [];
  PARAM.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PARAM.exec(text)) !== null) {
    if (generated(m[1], m[2])) hits.push({ rule: 'url-signature', start: m.indices![2][0], end: m.indices![2][1], rank: rank.name });
  }
  return hits;
}
