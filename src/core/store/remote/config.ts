// Storage options for a store on object storage, from each cloud's standard environment (and an AWS
// profile file), with the caller's explicit options (the editor's settings and secret storage) on
// top. The same resolved values feed LanceDB and our own probe requests, and list every secret so
// error messages can be scrubbed of them.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RemoteLocation } from '../location';

export interface RemoteOptions {
  /** LanceDB/object_store storage options (`aws_access_key_id`, `azure_storage_account_key`, …); they win over the environment. */
  storageOptions?: Record<string, string>;
  /** The user says only one writer exists: write even where conditional writes are not honoured. */
  unsafeSingleWriter?: boolean;
  /** Where credentials and endpoints are read from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** The Azure Storage emulator's documented account and key (public, not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface ResolvedRemote {
  loc: RemoteLocation;
  /** What LanceDB gets. */
  storageOptions: Record<string, string>;
  /** The service base URL our own requests go to (no trailing slash), `undefined` for the cloud's default. */
  endpoint: string | undefined;
  /** Who we are, printable: the access key id or account name, never a secret. */
  identity: string;
  /** Every secret value in play, to scrub from any message. */
  secrets: string[];
  unsafeSingleWriter: boolean;
  /** Seconds one request may take (our own requests use it too). */
  timeoutSeconds: number;
}

const TRUE = /^(1|true|yes|on)$/i;

/** The options a CLI run or the MCP server takes from its environment (`DEJAFIX_UNSAFE_SINGLE_WRITER=1`). */
export function remoteOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): RemoteOptions {
  return { env, unsafeSingleWriter: TRUE.test(env.DEJAFIX_UNSAFE_SINGLE_WRITER ?? '') };
}

/**
 * HTTP limits for LanceDB: the defaults retry an unreachable endpoint for three minutes; a command
 * should say what is wrong within seconds. `DEJAFIX_REMOTE_RETRY_TIMEOUT` (seconds) bounds the
 * retries of one request, `DEJAFIX_REMOTE_TIMEOUT` (seconds, default 30) one attempt, whole body
 * included — a server that accepts the connection and then never answers fails instead of hanging.
 */
function clientDefaults(env: NodeJS.ProcessEnv): Record<string, string> {
  const retry = /^\d{1,4}$/.test(env.DEJAFIX_REMOTE_RETRY_TIMEOUT ?? '') ? env.DEJAFIX_REMOTE_RETRY_TIMEOUT! : '30';
  return { connect_timeout: '10s', timeout: `${requestTimeoutSeconds(env)}s`, client_max_retries: '3', client_retry_timeout: retry };
}

/** Seconds one request to the object store may take (`DEJAFIX_REMOTE_TIMEOUT`, 1–3600, default 30). */
export function requestTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.DEJAFIX_REMOTE_TIMEOUT);
  return /^\d{1,4}$/.test(env.DEJAFIX_REMOTE_TIMEOUT ?? '') && v >= 1 && v <= 3600 ? v : 30;
}

export function resolveRemote(loc: RemoteLocation, opts: RemoteOptions = {}): ResolvedRemote {
  const env = opts.env ?? process.env;
  const fromEnv = loc.kind === 's3' ? s3FromEnv(env) : loc.kind === 'az' ? azureFromEnv(env) : gcsFromEnv(env);
  const storageOptions = { ...clientDefaults(env), ...fromEnv, ...(opts.storageOptions ?? {}) };
  for (const [k, v] of Object.entries(storageOptions)) if (v === undefined || v === '') delete storageOptions[k];
  const o = storageOptions;
  const secrets = [
    o.aws_secret_access_key,
    o.aws_session_token,
    o.azure_storage_account_key,
    o.azure_storage_sas_key,
    o.google_service_account_key,
  ].filter((s): s is string => !!s && s.length >= 4);
  const cs = parseConnectionString(env.AZURE_STORAGE_CONNECTION_STRING ?? '');
  for (const v of [cs.AccountKey, cs.SharedAccessSignature]) if (v && v.length >= 4) secrets.push(v);
  let endpoint: string | undefined;
  let identity: string;
  if (loc.kind === 's3') {
    endpoint = o.aws_endpoint?.replace(/\/+$/, '');
    identity = o.aws_access_key_id ? `access key id ${o.aws_access_key_id}` : 'no access key id (none in the environment or profile)';
  } else if (loc.kind === 'az') {
    const account = o.azure_storage_account_name;
    endpoint = (o.azure_storage_endpoint ?? (account ? `https://${account}.blob.core.windows.net` : undefined))?.replace(/\/+$/, '');
    identity = account ? `storage account ${account}` : 'no storage account name (set AZURE_STORAGE_ACCOUNT_NAME)';
  } else {
    identity = o.google_service_account ? `service account file ${o.google_service_account}` : 'the default Google credentials';
  }
  return {
    loc,
    storageOptions,
    endpoint,
    identity,
    secrets,
    unsafeSingleWriter: !!opts.unsafeSingleWriter,
    timeoutSeconds: requestTimeoutSeconds(env),
  };
}

function s3FromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  let key = env.AWS_ACCESS_KEY_ID;
  let secret = env.AWS_SECRET_ACCESS_KEY;
  let token = env.AWS_SESSION_TOKEN;
  let region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!key && (env.AWS_PROFILE || existsProfileFile(env))) {
    const profile = readAwsProfile(env);
    key = profile.aws_access_key_id;
    secret = profile.aws_secret_access_key;
    token = profile.aws_session_token;
    region ||= profile.region;
  }
  if (key) out.aws_access_key_id = key;
  if (secret) out.aws_secret_access_key = secret;
  if (token) out.aws_session_token = token;
  out.aws_region = region || 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT;
  if (endpoint) out.aws_endpoint = endpoint;
  if (TRUE.test(env.AWS_ALLOW_HTTP ?? '')) out.allow_http = 'true';
  return out;
}

function existsProfileFile(env: NodeJS.ProcessEnv): boolean {
  try {
    readFileSync(credentialsFile(env));
    return true;
  } catch {
    return false;
  }
}

function credentialsFile(env: NodeJS.ProcessEnv): string {
  return env.AWS_SHARED_CREDENTIALS_FILE || join(env.HOME || homedir(), '.aws', 'credentials');
}

/** The static keys and region of `AWS_PROFILE` (or `default`) from the shared credentials and config files. */
export function readAwsProfile(env: NodeJS.ProcessEnv): Record<string, string> {
  const name = env.AWS_PROFILE || 'default';
  const config = env.AWS_CONFIG_FILE || join(env.HOME || homedir(), '.aws', 'config');
  return { ...iniSection(config, name === 'default' ? 'default' : `profile ${name}`), ...iniSection(credentialsFile(env), name) };
}

function iniSection(file: string, section: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  let inside = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) inside = head[1].trim() === section;
    else if (inside) {
      const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
      if (kv) out[kv[1].toLowerCase()] = kv[2];
    }
  }
  return out;
}

function azureFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const cs = parseConnectionString(env.AZURE_STORAGE_CONNECTION_STRING ?? '');
  const emulator = TRUE.test(env.AZURE_STORAGE_USE_EMULATOR ?? '') || TRUE.test(cs.UseDevelopmentStorage ?? '');
  const account = env.AZURE_STORAGE_ACCOUNT_NAME || env.AZURE_STORAGE_ACCOUNT || cs.AccountName || (emulator ? AZURITE_ACCOUNT : undefined);
  const key = env.AZURE_STORAGE_ACCOUNT_KEY || env.AZURE_STORAGE_KEY || cs.AccountKey || (emulator ? AZURITE_KEY : undefined);
  if (account) out.azure_storage_account_name = account;
  if (key) out.azure_storage_account_key = key;
  if (cs.SharedAccessSignature) out.azure_storage_sas_key = cs.SharedAccessSignature;
  let endpoint = env.AZURE_STORAGE_ENDPOINT || cs.BlobEndpoint;
  if (!endpoint && emulator) endpoint = `${(env.AZURITE_BLOB_STORAGE_URL || 'http://127.0.0.1:10000').replace(/\/+$/, '')}/${account}`;
  if (!endpoint && account && cs.EndpointSuffix)
    endpoint = `${cs.DefaultEndpointsProtocol || 'https'}://${account}.blob.${cs.EndpointSuffix}`;
  if (endpoint) out.azure_storage_endpoint = endpoint;
  if (endpoint?.startsWith('http://')) out.allow_http = 'true';
  // A SAS connection string names no account: it is in the endpoint (NAME.blob.… or /NAME on an emulator).
  if (!out.azure_storage_account_name && endpoint) {
    const account = accountFromEndpoint(endpoint);
    if (account) out.azure_storage_account_name = account;
  }
  return out;
}

function accountFromEndpoint(endpoint: string): string | undefined {
  try {
    const u = new URL(endpoint);
    const host = /^([a-z0-9]{3,24})\.blob\./.exec(u.hostname)?.[1];
    return host ?? /^[a-z0-9]{3,24}$/.exec(u.pathname.split('/')[1] ?? '')?.[0];
  } catch {
    return undefined;
  }
}

/** `Key=Value;Key=Value` (values may contain `=`, as base64 keys do). */
export function parseConnectionString(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function gcsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.GOOGLE_APPLICATION_CREDENTIALS) out.google_service_account = env.GOOGLE_APPLICATION_CREDENTIALS;
  return out;
}
