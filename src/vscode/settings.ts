// Reads settings through the table in settingsSchema.ts: a value of the wrong type or out of range
// falls back to the default with a logged warning (once), never throws.
import * as vscode from 'vscode';
import type { Logger } from '../core/util/logger';
import { SETTINGS, valid, type SettingKey, type Value } from './settingsSchema';
import { settingProblem } from './team/remoteSettings';

export { SETTINGS, type SettingKey } from './settingsSchema';

export class Settings {
  private readonly warned = new Set<string>();
  constructor(private readonly log: Logger) {}

  get<K extends SettingKey>(key: K, scope?: vscode.ConfigurationScope): Value<K> {
    const fallback = SETTINGS[key] as unknown as Value<K>;
    const raw: unknown = vscode.workspace.getConfiguration('dejafix', scope).get(key);
    if (raw === undefined || raw === null) return fallback;
    const ok = valid(key, raw) && !settingProblem(key, raw);
    if (ok) return raw as Value<K>;
    const note = `dejafix.${key}: ${(JSON.stringify(raw) ?? typeof raw).slice(0, 80)}`;
    if (!this.warned.has(note)) {
      this.warned.add(note);
      this.log.warn(`setting ${note} is not valid; using the default ${JSON.stringify(fallback).slice(0, 80)}`);
    }
    return fallback;
  }

  /** The raw value as configured (for checks that must say what exactly is wrong). */
  raw(key: SettingKey): unknown {
    return vscode.workspace.getConfiguration('dejafix').get(key);
  }
}

export function affects(e: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
  return keys.some((k) => e.affectsConfiguration(`dejafix.${k}`));
}
