// Every setting the extension reads, with its type, default, choices and range: one table that
// package.json's `contributes.configuration` must match (test/unit/settings.test.ts checks it).
// No VS Code here, so the check runs in plain Node.
import { DEFAULT_TEST_COMMANDS } from '../core/capture/testCommands';
import { DEFAULT_MIN_RELEVANCE } from '../core/recall/relevance';

export const SETTINGS = {
  'store.path': '',
  'embeddings.provider': 'builtin',
  'embeddings.url': '',
  'embeddings.model': '',
  'llm.provider': 'auto',
  'llm.anthropic.model': '',
  'llm.anthropic.baseUrl': '',
  'llm.vscodeLm.family': '',
  'capture.enabled': true,
  'capture.testCommands': [...DEFAULT_TEST_COMMANDS] as string[],
  'capture.autoSession': 'on',
  'capture.autoSessionIdleMinutes': 30,
  'recall.maxResults': 5,
  'recall.minRelevance': DEFAULT_MIN_RELEVANCE,
  'recall.readWorkspaceCode': true,
  'reflection.enabled': true,
  'reflection.requireApproval': true,
  'insights.maxPerRole': 15,
  'github.apiBaseUrl': '',
  'compose.budget': 8000,
  'store.unsafeSingleWriter': false,
  'team.uri': '',
  'team.autoSync': true,
  'team.syncIntervalMinutes': 15,
  'team.name': '',
  'team.followRepositoryFolder': true,
  'remote.s3.endpoint': '',
  'remote.s3.region': '',
  'remote.azure.accountName': '',
  'remote.azure.endpoint': '',
  'remote.gcs.credentialsFile': '',
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type Value<K extends SettingKey> = (typeof SETTINGS)[K] extends readonly string[]
  ? string[]
  : (typeof SETTINGS)[K] extends string
    ? string
    : (typeof SETTINGS)[K] extends number
      ? number
      : boolean;

export const CHOICES: Partial<Record<SettingKey, readonly string[]>> = {
  'embeddings.provider': ['builtin', 'openai-compatible', 'none'],
  'llm.provider': ['auto', 'anthropic', 'vscode-lm', 'off'],
  'capture.autoSession': ['off', 'ask', 'on'],
};
export const RANGES: Partial<Record<SettingKey, [number, number]>> = {
  'recall.maxResults': [1, 20],
  'capture.autoSessionIdleMinutes': [1, 1440],
  'recall.minRelevance': [0, 1],
  'insights.maxPerRole': [1, 100],
  'compose.budget': [500, 200_000],
  'team.syncIntervalMinutes': [1, 1440],
};

/** Whether a raw settings value has the declared type, choice and range. */
export function valid(key: SettingKey, raw: unknown): boolean {
  const def = SETTINGS[key];
  if (Array.isArray(def)) return Array.isArray(raw) && raw.length <= 200 && raw.every((x) => typeof x === 'string' && x.length <= 500);
  if (typeof def !== typeof raw) return false;
  if (typeof raw === 'string') return raw.length <= 4_000 && (!CHOICES[key] || CHOICES[key]!.includes(raw));
  if (typeof raw === 'number') {
    const r = RANGES[key];
    return Number.isFinite(raw) && (!r || (raw >= r[0] && raw <= r[1]));
  }
  return true;
}
