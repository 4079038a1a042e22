// Does this object store honour conditional writes? LanceDB's concurrent commits create each new
// manifest with `If-None-Match: *`; a server that ignores the header lets two writers overwrite each
// other's commit and silently loses rows. The probe creates one small object twice with the header:
// the second create must be refused (412 on S3, 409/412 on Azure). S3 requests are signed with
// AWS Signature V4 (the `aws4` package), Azure ones with SharedKey.
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import aws4 from 'aws4';
import { StoreError } from '../errors';
import type { ResolvedRemote } from './config';
import { explain } from './errors';

export type ProbeResult = { honoured: true; detail: string } | { honoured: false; detail: string };

export interface HttpAnswer {
  status: number;
  body: string;
}

/** Our own requests wait at most DEJAFIX_REMOTE_TIMEOUT, and never more than 15 s. */
const timeoutMs = (r: ResolvedRemote) => Math.min(r.timeoutSeconds, 15) * 1000;

/** Probes the store's bucket; throws a StoreError (`remote`) when the server cannot be used at all. */
export async function probeConditionalWrites(r: ResolvedRemote): Promise<ProbeResult> {
  if (r.loc.kind === 'gs') {
    // Cloud Storage has one implementation, Google's, and it always enforces generation preconditions.
    return { honoured: true, detail: 'Google Cloud Storage enforces generation preconditions' };
  }
  const key = [r.loc.prefix, '.dejafix-probe', `${Date.now()}-${process.pid}-${randomBytes(6).toString('hex')}`].filter(Boolean).join('/');
  const put = () => (r.loc.kind === 's3' ? s3(r, 'PUT', key, { 'If-None-Match': '*' }) : azure(r, 'PUT', key, { 'If-None-Match': '*' }));
  const first = await put();
  if (first.status >= 300) throw httpFailure(r, first, 'creating a probe object');
  try {
    const second = await put();
    if (second.status === 412 || second.status === 409) return { honoured: true, detail: `a second create was refused (${second.status})` };
    if (second.status >= 200 && second.status < 300)
      return { honoured: false, detail: `a second create of the same object with If-None-Match: * succeeded (${second.status})` };
    throw httpFailure(r, second, 'creating the probe object a second time');
  } finally {
    await (r.loc.kind === 's3' ? s3(r, 'DELETE', key, {}) : azure(r, 'DELETE', key, {})).catch(() => undefined);
  }
}

/**
 * Before a read: one small listing of the prefix, so that a server that hangs, refuses access or has
 * no such bucket is reported in cloud terms within the request timeout, instead of LanceDB retrying
 * every request of the open for minutes. An answer this check does not understand is left to LanceDB.
 */
export async function checkReachable(r: ResolvedRemote): Promise<void> {
  if (r.loc.kind === 'gs') return;
  const prefix = r.loc.prefix ? `${r.loc.prefix}/` : '';
  const query: Record<string, string> =
    r.loc.kind === 's3' ? { 'list-type': '2', 'max-keys': '1', prefix } : { restype: 'container', comp: 'list', maxresults: '1', prefix };
  const a = r.loc.kind === 's3' ? await s3(r, 'GET', '', {}, query) : await azure(r, 'GET', '', {}, query);
  if (a.status === 401 || a.status === 403 || (a.status === 404 && /NoSuchBucket|ContainerNotFound/.test(a.body)))
    throw httpFailure(r, a, `listing ${r.loc.uri}`);
}

function httpFailure(r: ResolvedRemote, a: HttpAnswer, doing: string): StoreError {
  return new StoreError('remote', explain(r, `${a.status} ${statusWord(a.status)} ${a.body}`, doing));
}

function statusWord(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' } as Record<number, string>)[status] ?? '';
}

const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

async function s3(
  r: ResolvedRemote,
  method: string,
  key: string,
  headers: Record<string, string>,
  query: Record<string, string> = {},
): Promise<HttpAnswer> {
  const o = r.storageOptions;
  const region = o.aws_region || 'us-east-1';
  const virtual = /^(1|true)$/i.test(o.aws_virtual_hosted_style_request ?? '');
  let url: URL;
  if (r.endpoint) {
    const base = new URL(r.endpoint);
    url = virtual
      ? new URL(`${base.protocol}//${r.loc.bucket}.${base.host}/${encodeKey(key)}`)
      : new URL(`${r.endpoint}/${r.loc.bucket}${key ? `/${encodeKey(key)}` : ''}`);
  } else {
    url = new URL(`https://${r.loc.bucket}.s3.${region}.amazonaws.com/${encodeKey(key)}`);
  }
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const all: Record<string, string> = { ...headers, 'Content-Length': '0' };
  if (o.aws_access_key_id && o.aws_secret_access_key) {
    const signed = aws4.sign(
      { host: url.host, path: `${url.pathname}${url.search}`, method, service: 's3', region, headers: all, body: '' },
      { accessKeyId: o.aws_access_key_id, secretAccessKey: o.aws_secret_access_key, sessionToken: o.aws_session_token },
    );
    Object.assign(all, signed.headers as Record<string, string>);
  }
  return send(url, method, all, timeoutMs(r));
}

async function azure(
  r: ResolvedRemote,
  method: string,
  key: string,
  headers: Record<string, string>,
  query: Record<string, string> = {},
): Promise<HttpAnswer> {
  const o = r.storageOptions;
  if (!r.endpoint) throw new Error('no Azure endpoint: set AZURE_STORAGE_ACCOUNT_NAME');
  const url = new URL(`${r.endpoint}/${r.loc.bucket}${key ? `/${encodeKey(key)}` : ''}`);
  if (o.azure_storage_sas_key) url.search = o.azure_storage_sas_key.replace(/^\?/, '');
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const all: Record<string, string> = {
    ...headers,
    'x-ms-date': new Date().toUTCString(),
    'x-ms-version': '2021-08-06',
    ...(method === 'PUT' ? { 'x-ms-blob-type': 'BlockBlob' } : {}),
    'Content-Length': '0',
  };
  const account = o.azure_storage_account_name;
  if (account && o.azure_storage_account_key && !o.azure_storage_sas_key) {
    all.Authorization = `SharedKey ${account}:${sharedKeySignature(method, url, all, account, o.azure_storage_account_key)}`;
  }
  return send(url, method, all, timeoutMs(r));
}

/** Azure's SharedKey string-to-sign (version 2015-02-21 and later: a zero Content-Length is signed as ''). */
export function sharedKeySignature(method: string, url: URL, headers: Record<string, string>, account: string, key: string): string {
  const h = (name: string) => Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1] ?? '';
  const length = h('Content-Length') === '0' ? '' : h('Content-Length');
  const msHeaders = Object.entries(headers)
    .filter(([k]) => k.toLowerCase().startsWith('x-ms-'))
    .map(([k, v]) => [k.toLowerCase(), v.trim()] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}:${v}\n`)
    .join('');
  const params = [...url.searchParams.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `\n${k.toLowerCase()}:${v}`)
    .join('');
  const resource = `/${account}${decodeURIComponent(url.pathname)}${params}`;
  const toSign = [
    method,
    h('Content-Encoding'),
    h('Content-Language'),
    length,
    h('Content-MD5'),
    h('Content-Type'),
    '',
    h('If-Modified-Since'),
    h('If-Match'),
    h('If-None-Match'),
    h('If-Unmodified-Since'),
    h('Range'),
    msHeaders + resource,
  ].join('\n');
  return createHmac('sha256', Buffer.from(key, 'base64')).update(toSign, 'utf8').digest('base64');
}

function send(url: URL, method: string, headers: Record<string, string>, timeout: number): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'http:' ? httpRequest : httpsRequest)(url, { method, headers, timeout }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += body.length < 8192 ? d : ''));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`timed out after ${timeout} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}
