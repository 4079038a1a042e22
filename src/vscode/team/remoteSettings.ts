// The editor's object-storage configuration without VS Code: checks the location and endpoint
// settings (one clear line per bad value), and maps the non-secret settings plus the secrets kept in
// SecretStorage to the storage options the core store takes — the same RemoteOptions the CLI builds
// from the environment, so the editor and `dejafix --store s3://…` open a store the same way.
import { parseStoreLocation, type StoreLocation } from '../../core/store/location';
import type { RemoteOptions } from '../../core/store/remote/config';
import { parseConnectionString } from '../../core/store/remote/config';
import { errorText } from '../../core/util/errors';

/** Secrets of the team/remote store, kept together as one JSON value in SecretStorage (never settings.json). */
export interface TeamSecrets {
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  awsSessionToken?: string;
  azureAccountKey?: string;
  azureSasToken?: string;
  azureConnectionString?: string;
}

export const SECRET_FIELDS = [
  'awsAccessKeyId',
  'awsSecretAccessKey',
  'awsSessionToken',
  'azureAccountKey',
  'azureSasToken',
  'azureConnectionString',
] as const;

/** The non-secret settings that shape a remote store (dejafix.remote.*, dejafix.store.unsafeSingleWriter). */
export interface RemoteSettings {
  s3Endpoint: string;
  s3Region: string;
  azureAccountName: string;
  azureEndpoint: string;
  gcsCredentialsFile: string;
  unsafeSingleWriter: boolean;
}

/** A setting value that is wrong, in one line naming the setting; undefined when it is fine. */
export function settingProblem(key: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  // A value that looks like it carries credentials (user:secret@, ?sig=…) is never repeated.
  const hidden = typeof raw === 'string' && (/:\/\/[^/\s]*@/.test(raw) || /[?&](sig|se|sv|X-Amz-[A-Za-z-]+|AccountKey)=/i.test(raw));
  const shown = hidden ? 'the value (not shown: it seems to contain credentials)' : (JSON.stringify(raw)?.slice(0, 80) ?? typeof raw);
  const str = (f: (s: string) => string | undefined) =>
    typeof raw !== 'string' ? `dejafix.${key}: ${shown} is not a string.` : f(raw.trim());
  switch (key) {
    case 'team.uri':
      return str((s) => {
        const loc = location(s);
        if (typeof loc === 'string') return `dejafix.team.uri: ${loc}`;
        return loc.kind === 'local'
          ? `dejafix.team.uri: ${shown} is not an object-storage URI. Use s3://bucket/prefix, gs://bucket/prefix or az://container/prefix (or leave it empty for no team memory).`
          : undefined;
      });
    case 'store.path':
      return str((s) => {
        const loc = location(s);
        return typeof loc === 'string' ? `dejafix.store.path: ${loc}` : undefined;
      });
    case 'remote.s3.endpoint':
    case 'remote.azure.endpoint':
      return str((s) =>
        /^https?:\/\/[^\s/@?#]+(\/[^\s?#]*)?$/i.test(s)
          ? undefined
          : `dejafix.${key}: ${shown} is not an http:// or https:// URL (without user:password@, query or fragment).`,
      );
    case 'remote.s3.region':
      return str((s) =>
        /^[a-z0-9-]{2,40}$/.test(s) ? undefined : `dejafix.remote.s3.region: ${shown} is not a region name such as us-east-1.`,
      );
    case 'remote.azure.accountName':
      return str((s) =>
        /^[a-z0-9]{3,24}$/.test(s)
          ? undefined
          : `dejafix.remote.azure.accountName: ${shown} is not a storage account name (3–24 lower-case letters and digits).`,
      );
    case 'remote.gcs.credentialsFile':
      return str((s) =>
        /[\0\r\n]/.test(s) || s.length > 1000 ? `dejafix.remote.gcs.credentialsFile: ${shown} is not a file path.` : undefined,
      );
    case 'team.syncIntervalMinutes':
      return typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 1440
        ? undefined
        : `dejafix.team.syncIntervalMinutes: ${shown} is not a whole number of minutes from 1 to 1440.`;
    case 'team.autoSync':
    case 'store.unsafeSingleWriter':
      return typeof raw === 'boolean' ? undefined : `dejafix.${key}: ${shown} is not true or false.`;
    case 'team.name':
      return str((s) =>
        /[\0\r\n]/.test(s) || s.length > 300 ? `dejafix.team.name: ${shown} must be one line of at most 300 characters.` : undefined,
      );
    default:
      return undefined;
  }
}

/** The settings checked by settingProblem. */
export const CHECKED_SETTINGS = [
  'store.path',
  'store.unsafeSingleWriter',
  'team.uri',
  'team.autoSync',
  'team.syncIntervalMinutes',
  'team.name',
  'remote.s3.endpoint',
  'remote.s3.region',
  'remote.azure.accountName',
  'remote.azure.endpoint',
  'remote.gcs.credentialsFile',
] as const;

function location(s: string): StoreLocation | string {
  try {
    return parseStoreLocation(s);
  } catch (e) {
    return errorText(e);
  }
}

/** A secret value as typed or pasted: trimmed; refused (with the reason) when it cannot be one. */
export function secretProblem(field: (typeof SECRET_FIELDS)[number], value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Paste the value (or press Escape).';
  if (v.length > 4000) return 'That is too long for a credential.';
  if (/[\0\r\n]/.test(v)) return 'A credential is one line.';
  if (field === 'azureConnectionString')
    return /AccountName=|BlobEndpoint=|UseDevelopmentStorage=/i.test(v)
      ? undefined
      : 'A connection string has AccountName=…;AccountKey=… (or BlobEndpoint=…;SharedAccessSignature=…).';
  if (field !== 'azureSasToken' && /\s/.test(v)) return 'A key has no spaces.';
  if (field === 'awsAccessKeyId' && !/^[A-Za-z0-9]{3,128}$/.test(v)) return 'An access key id is letters and digits (e.g. AKIA…).';
  return undefined;
}

/**
 * LanceDB storage options for a store of this kind: endpoints and names from the settings, keys
 * from the secrets. Empty values are left out, so the cloud's environment and profile still apply.
 */
export function storageOptionsFor(kind: 's3' | 'gs' | 'az', cfg: RemoteSettings, secrets: TeamSecrets): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    const t = v?.trim();
    if (t) out[k] = t;
  };
  if (kind === 's3') {
    put('aws_endpoint', cfg.s3Endpoint.replace(/\/+$/, ''));
    put('aws_region', cfg.s3Region);
    put('aws_access_key_id', secrets.awsAccessKeyId);
    put('aws_secret_access_key', secrets.awsSecretAccessKey);
    put('aws_session_token', secrets.awsSessionToken);
    if (/^http:\/\//i.test(cfg.s3Endpoint.trim())) out.allow_http = 'true';
  } else if (kind === 'az') {
    const cs = parseConnectionString(secrets.azureConnectionString ?? '');
    put('azure_storage_account_name', cfg.azureAccountName || cs.AccountName);
    put('azure_storage_account_key', secrets.azureAccountKey || cs.AccountKey);
    put('azure_storage_sas_key', secrets.azureSasToken?.replace(/^\?/, '') || cs.SharedAccessSignature);
    let endpoint = cfg.azureEndpoint.replace(/\/+$/, '') || cs.BlobEndpoint?.replace(/\/+$/, '');
    if (!endpoint && cs.AccountName && cs.EndpointSuffix)
      endpoint = `${cs.DefaultEndpointsProtocol || 'https'}://${cs.AccountName}.blob.${cs.EndpointSuffix}`;
    put('azure_storage_endpoint', endpoint);
    if (endpoint && /^http:\/\//i.test(endpoint)) out.allow_http = 'true';
  } else {
    put('google_service_account', cfg.gcsCredentialsFile);
  }
  return out;
}

/** What ExperienceStore.open takes for this location; undefined for a local folder. */
export function remoteOptionsFor(
  where: string,
  cfg: RemoteSettings,
  secrets: TeamSecrets,
  env: NodeJS.ProcessEnv = process.env,
): RemoteOptions | undefined {
  const loc = parseStoreLocation(where);
  if (loc.kind === 'local') return undefined;
  return {
    env,
    storageOptions: storageOptionsFor(loc.kind, cfg, secrets),
    unsafeSingleWriter: cfg.unsafeSingleWriter || /^(1|true|yes|on)$/i.test(env.DEJAFIX_UNSAFE_SINGLE_WRITER ?? ''),
  };
}

/** Only the known secret fields, as trimmed non-empty strings (a damaged SecretStorage value gives {}). */
export function parseSecrets(json: string | undefined): TeamSecrets {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (!raw || typeof raw !== 'object') return {};
  const out: TeamSecrets = {};
  for (const f of SECRET_FIELDS) {
    const v = (raw as Record<string, unknown>)[f];
    if (typeof v === 'string' && v.trim()) out[f] = v.trim();
  }
  return out;
}
