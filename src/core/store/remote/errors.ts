// Object-storage failures in cloud terms — no such bucket, access denied for which identity, an
// expired session token, clock skew, an unreachable endpoint — scrubbed of every secret in play.
// LanceDB's errors (object_store's messages with the server's XML inside) and our own probe's
// HTTP answers go through the same classifier.
import { connect } from 'node:net';
import { errorText } from '../../util/errors';
import { StoreError } from '../errors';
import { requestTimeoutSeconds, type ResolvedRemote } from './config';

/** Replaces every secret value (and signatures) in `text` with `***`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out
    .replace(/(Signature=|sig=|SharedKey [^:\s]+:)[A-Za-z0-9%/+=]+/g, '$1***')
    .replace(/(X-Amz-Security-Token=|x-amz-security-token:\s*)[^&\s]+/gi, '$1***')
    .replace(/(AccountKey=)[^;\s]+/gi, '$1***');
}

/** `scrub` with the secrets of the standard cloud environment variables (for errors with no store at hand). */
export function scrubEnvSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const names = ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_STORAGE_ACCOUNT_KEY', 'AZURE_STORAGE_KEY', 'AZURE_STORAGE_SAS_TOKEN'];
  const secrets = names.map((n) => env[n] ?? '').filter((v) => v.length >= 4);
  for (const m of (env.AZURE_STORAGE_CONNECTION_STRING ?? '').matchAll(/(?:AccountKey|SharedAccessSignature)=([^;]+)/gi))
    secrets.push(m[1]);
  return scrub(text, secrets);
}

type Kind = 'no-bucket' | 'expired' | 'sas-expired' | 'skew' | 'denied' | 'unreachable' | 'timeout' | 'other';

/**
 * What an object-storage error is about. A bare 401/403 counts only as an HTTP status ("status 403", "HTTP/1.1 403"):
 * the same digits turn up in durations ("after 3 retries in 403.2ms"), ports, byte ranges and object names.
 */
export function classify(text: string): Kind {
  if (/NoSuchBucket|ContainerNotFound|specified bucket does not exist|specified container does not exist/i.test(text)) return 'no-bucket';
  if (/ExpiredToken|TokenRefreshRequired|token (has|is) expired|security token included in the request is expired/i.test(text))
    return 'expired';
  if (
    /Signed expiry time \[[^\]]*\] must be after signed start time|Signed expiry time \[[^\]]*\] has to be after|Signature not valid in the specified time frame|se=[^&\s]*.*AuthenticationErrorDetail>Signed expiry/i.test(
      text,
    )
  )
    return 'sas-expired';
  if (/RequestTimeTooSkewed|time.*too skewed|Request date header too old|clock skew/i.test(text)) return 'skew';
  if (
    /(?:status|code|HTTP\/\d(?:\.\d)?)\W{0,3}40[13]\b|Forbidden|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|AuthorizationFailure|AuthenticationFailed|InvalidToken|Unauthorized/i.test(
      text,
    )
  )
    return 'denied';
  // object_store names its retry budget ("retry_timeout:1s") in every retried error: not a sign of a timeout.
  const timedOut = /timed? ?out|ETIMEDOUT|deadline/i.test(text.replace(/retry_timeout:\s*[\w.]*/gi, ''));
  if (timedOut && !/Connection refused|ECONNREFUSED/i.test(text)) return 'timeout';
  if (
    /error sending request|Connection refused|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|dns error|tcp connect error|ECONNRESET|connection reset|connection closed before message completed|socket hang up|EHOSTUNREACH|ENETUNREACH/i.test(
      text,
    )
  )
    return 'unreachable';
  if (timedOut) return 'timeout';
  return 'other';
}

/** True when the message looks like an object-storage failure rather than a Dejafix one. */
export function isObjectStoreFailure(text: string): boolean {
  return classify(text) !== 'other' || /Generic (S3|MicrosoftAzure|GCS|GoogleCloudStorage) error|object_store|non-2xx status/i.test(text);
}

/** A StoreError (`remote`) saying what went wrong while `doing` something with the remote store. */
export function remoteError(r: ResolvedRemote, e: unknown, doing: string): StoreError {
  if (e instanceof StoreError) return e;
  const raw = errorText(e);
  const cause =
    e instanceof Error && e.cause instanceof Error ? ` ${e.cause.message} ${(e.cause as NodeJS.ErrnoException).code ?? ''}` : '';
  return new StoreError('remote', explain(r, `${raw}${cause}`, doing));
}

export function explain(r: ResolvedRemote, text: string, doing: string): string {
  const { loc } = r;
  const where = r.endpoint ? ` at ${r.endpoint}` : '';
  const bucketWord = loc.kind === 'az' ? 'container' : 'bucket';
  const service = loc.kind === 's3' ? 'S3' : loc.kind === 'az' ? 'Azure Blob Storage' : 'Google Cloud Storage';
  let msg: string;
  switch (classify(text)) {
    case 'no-bucket':
      msg = `No such ${bucketWord} "${loc.bucket}"${where} (${service}). Create it first or check the name in ${loc.uri}.`;
      break;
    case 'expired':
      msg = `The session token has expired (${service}, ${r.identity}). Refresh the credentials (e.g. aws sso login / new AWS_SESSION_TOKEN) and retry.`;
      break;
    case 'sas-expired':
      msg = `The shared access signature (SAS) has expired or is not yet valid (${service}, ${r.identity}). Create a new SAS token and retry.`;
      break;
    case 'skew':
      msg = `The server refused the request because this machine's clock is off (clock skew, ${service}). Synchronise the system clock and retry.`;
      break;
    case 'denied':
      msg = `Access denied (403) to ${loc.uri}${where} for ${r.identity}. Check the credentials and that this identity may list, read, write and delete objects under the prefix.`;
      break;
    case 'unreachable':
      msg = `The ${service} endpoint${where || ' (the default for this cloud)'} is unreachable: ${networkReason(text)}. Check the endpoint, network and proxy settings.`;
      break;
    case 'timeout':
      msg = `The ${service} endpoint${where} did not answer within ${r.timeoutSeconds} s. Check the network, or retry later (DEJAFIX_REMOTE_TIMEOUT sets the limit in seconds).`;
      break;
    default:
      msg = `Object storage error at ${loc.uri}${where}: ${firstLine(text)}`;
  }
  return scrub(`${msg} (while ${doing})`, r.secrets);
}

/**
 * An object-storage failure in the middle of a command (after the store opened), from LanceDB's
 * text alone: the service and endpoint it names, in cloud terms, scrubbed of the environment's
 * secrets. Writes commit whole or not at all, so a rerun is always the way on.
 */
export function explainMidCommand(text: string, env: NodeJS.ProcessEnv = process.env, listening?: boolean): string {
  const service = /MicrosoftAzure|\bazure\b/i.test(text)
    ? 'Azure Blob Storage'
    : /GCS|GoogleCloudStorage/i.test(text)
      ? 'Google Cloud Storage'
      : 'S3';
  const url = /https?:\/\/[^\s/?]+/.exec(text)?.[0];
  const where = url ? ` at ${url}` : '';
  const rerun = 'What was committed is whole; run the command again to finish.';
  let msg: string;
  // object_store says "error sending request" both when nothing listens and when nothing answers:
  // `listening` (the endpoint still accepts connections, see endpointListening) tells them apart.
  const kind = classify(text) === 'unreachable' && listening && ambiguousNetwork(text) ? 'timeout' : classify(text);
  switch (kind) {
    case 'unreachable':
      msg = `The ${service} endpoint${where} went away part-way (${listening === false && ambiguousNetwork(text) ? 'connection refused' : networkReason(text)}). ${rerun}`;
      break;
    case 'timeout':
      msg = `The ${service} endpoint${where} stopped answering part-way: no answer within ${requestTimeoutSeconds(env)} s (DEJAFIX_REMOTE_TIMEOUT sets how long a request may take). ${rerun}`;
      break;
    case 'denied':
    case 'expired':
    case 'sas-expired':
      msg = `The ${service} endpoint${where} refused access part-way (${classify(text) === 'denied' ? '403' : 'expired credentials'}). Check the credentials, then run the command again.`;
      break;
    default:
      msg = `Object storage failed${where}: ${firstLine(text)}`;
  }
  return scrubEnvSecrets(msg, env);
}

function ambiguousNetwork(text: string): boolean {
  return networkReason(text) === AMBIGUOUS;
}

const AMBIGUOUS = 'no connection could be made, or no answer came in time';

/** The `http(s)://host:port` an object-storage error names, when it names one. */
export function endpointIn(text: string): string | undefined {
  return /https?:\/\/[^\s/?]+/.exec(text)?.[0];
}

/**
 * Whether the endpoint an error names still accepts TCP connections (within 1 s): yes means it is
 * up but stopped answering, no means it went away; undefined when the error names none.
 */
export async function endpointListening(text: string): Promise<boolean | undefined> {
  const url = endpointIn(text);
  if (!url) return undefined;
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve) => {
    const s = connect({ host: u.hostname, port, timeout: 1000 }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('timeout', () => {
      s.destroy();
      resolve(false);
    });
    s.on('error', () => resolve(false));
  });
}

function networkReason(text: string): string {
  if (/Connection refused|ECONNREFUSED/i.test(text)) return 'connection refused';
  if (/dns error|ENOTFOUND|EAI_AGAIN|failed to lookup/i.test(text)) return 'the host name does not resolve';
  if (/ECONNRESET|socket hang up/i.test(text)) return 'the connection was reset';
  return AMBIGUOUS;
}

function firstLine(text: string): string {
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  const line = text
    .split('\n')[0]
    .replace(/, \/usr\/local\/cargo\S*/g, '')
    .replace(/^(Error: )?(Failed to execute query stream: GenericFailure, )?(lance error: )?(LanceError\(\w+\): )?/i, '')
    .slice(0, 300);
  return code ? `${code}: ${line}` : line;
}
