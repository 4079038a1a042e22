// Team storage credentials in VS Code's SecretStorage (the OS keychain), never in settings.json:
// the AWS keys and session token, the Azure account key, SAS token or connection string. The
// command "Dejafix: Set Team Storage Credentials…" asks for them; the store opener reads them.
import * as vscode from 'vscode';
import type { RemoteOptions } from '../../core/store/remote/config';
import type { Settings } from '../settings';
import { parseSecrets, remoteOptionsFor, SECRET_FIELDS, secretProblem, type RemoteSettings, type TeamSecrets } from './remoteSettings';

export const TEAM_SECRET_KEY = 'dejafix.team.credentials';

export class TeamCredentials implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly settings: Settings,
  ) {
    this.subscription = secrets.onDidChange((e) => e.key === TEAM_SECRET_KEY && this.changed.fire());
  }

  async get(): Promise<TeamSecrets> {
    return parseSecrets(await this.secrets.get(TEAM_SECRET_KEY));
  }

  /** Replaces the given fields (undefined removes one); an empty result deletes the entry. */
  async update(fields: TeamSecrets): Promise<void> {
    const next: Record<string, string | undefined> = { ...(await this.get()) };
    for (const [k, v] of Object.entries(fields)) next[k] = v?.trim() || undefined;
    const kept = Object.fromEntries(Object.entries(next).filter(([, v]) => v));
    if (Object.keys(kept).length) await this.secrets.store(TEAM_SECRET_KEY, JSON.stringify(kept));
    else await this.secrets.delete(TEAM_SECRET_KEY);
  }

  async clear(): Promise<void> {
    await this.secrets.delete(TEAM_SECRET_KEY);
  }

  /** The non-secret remote settings. */
  remoteSettings(): RemoteSettings {
    const s = this.settings;
    return {
      s3Endpoint: s.get('remote.s3.endpoint'),
      s3Region: s.get('remote.s3.region'),
      azureAccountName: s.get('remote.azure.accountName'),
      azureEndpoint: s.get('remote.azure.endpoint'),
      gcsCredentialsFile: s.get('remote.gcs.credentialsFile'),
      unsafeSingleWriter: s.get('store.unsafeSingleWriter'),
    };
  }

  /** Store options for a location (undefined for a folder): settings, secrets, and the environment under them. */
  async optionsFor(where: string): Promise<RemoteOptions | undefined> {
    return remoteOptionsFor(where, this.remoteSettings(), await this.get());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

type Field = (typeof SECRET_FIELDS)[number];
type Choice = (typeof KINDS)[number];
const KINDS: { label: string; detail: string; fields: { field: Field; prompt: string; optional?: boolean; secret: boolean }[] }[] = [
  {
    label: 'Amazon S3 or S3-compatible (MinIO, R2, Ceph)',
    detail: 'Access key id, secret access key and, for temporary credentials, a session token',
    fields: [
      { field: 'awsAccessKeyId', prompt: 'Access key id (AKIA…)', secret: false },
      { field: 'awsSecretAccessKey', prompt: 'Secret access key', secret: true },
      { field: 'awsSessionToken', prompt: 'Session token (optional: leave empty for long-term keys)', optional: true, secret: true },
    ],
  },
  {
    label: 'Azure Blob Storage: account key',
    detail: 'With dejafix.remote.azure.accountName',
    fields: [{ field: 'azureAccountKey', prompt: 'Storage account key (base64)', secret: true }],
  },
  {
    label: 'Azure Blob Storage: SAS token',
    detail: 'A shared access signature for the container',
    fields: [{ field: 'azureSasToken', prompt: 'SAS token (sv=…&sig=…)', secret: true }],
  },
  {
    label: 'Azure Blob Storage: connection string',
    detail: 'AccountName=…;AccountKey=…;BlobEndpoint=…',
    fields: [{ field: 'azureConnectionString', prompt: 'Connection string', secret: true }],
  },
];

/**
 * Asks for team storage credentials and stores them in SecretStorage. Tests (and scripts) pass
 * `{ …TeamSecrets }` to set fields directly, or `{ clear: true }`.
 */
export async function setTeamCredentials(creds: TeamCredentials, arg?: unknown): Promise<boolean> {
  if (arg && typeof arg === 'object') {
    if ((arg as { clear?: unknown }).clear === true) {
      await creds.clear();
      return true;
    }
    const fields: TeamSecrets = {};
    for (const f of SECRET_FIELDS) {
      const v = (arg as Record<string, unknown>)[f];
      if (v === undefined) continue;
      const problem = typeof v === 'string' ? secretProblem(f, v) : 'not a string';
      if (problem) throw new Error(`${f}: ${problem}`);
      fields[f] = (v as string).trim();
    }
    await creds.update(fields);
    return true;
  }
  const items = [
    ...KINDS.map((k) => ({ label: k.label, detail: k.detail, choice: k as Choice | undefined | null })),
    {
      label: 'Google Cloud Storage',
      detail: 'A service-account key file path: not a secret, set dejafix.remote.gcs.credentialsFile',
      choice: undefined,
    },
    { label: 'Remove stored team credentials', detail: 'Deletes every team storage secret Dejafix keeps', choice: null },
  ];
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Dejafix: Set Team Storage Credentials',
    placeHolder: 'Which storage? Secrets go to the OS keychain (SecretStorage), never to settings.json.',
    ignoreFocusOut: true,
  });
  if (!pick) return false;
  if (pick.choice === undefined) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'dejafix.remote.gcs.credentialsFile');
    return false;
  }
  if (pick.choice === null) {
    const ok = await vscode.window.showWarningMessage('Remove every stored team storage credential?', { modal: true }, 'Remove');
    if (ok !== 'Remove') return false;
    await creds.clear();
    return true;
  }
  const fields: TeamSecrets = {};
  for (const f of pick.choice.fields) {
    const v = await vscode.window.showInputBox({
      title: `Dejafix: ${pick.choice.label}`,
      prompt: `${f.prompt}. Stored in VS Code's secret storage, never in settings files.`,
      password: f.secret,
      ignoreFocusOut: true,
      validateInput: (x) => (f.optional && !x.trim() ? undefined : secretProblem(f.field, x)),
    });
    if (v === undefined) return false;
    fields[f.field] = v.trim() || undefined;
  }
  await creds.update(fields);
  void vscode.window.showInformationMessage('Dejafix: team storage credentials saved in secret storage.');
  return true;
}
