// The temp folders of one run: user data (with the run's settings), extensions, workspace, results.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENV_GREP, ENV_RESULTS, ENV_SUITES } from './results';
import { DEFAULT_USER_SETTINGS, type RunSpec } from './runs';
import { buildWorkspace, type BuiltWorkspace } from './workspace';

export interface PreparedRun {
  tmp: string;
  userDataDir: string;
  extensionsDir: string;
  resultsFile: string;
  workspace: BuiltWorkspace;
  /** Environment for the extension host: results file, suites, grep and the run's own env. */
  env: Record<string, string>;
}

export function prepareRun(spec: RunSpec, grep?: string): PreparedRun {
  const tmp = mkdtempSync(join(tmpdir(), `dejafix-it-${spec.name}-`));
  const userDataDir = join(tmp, 'user-data');
  const extensionsDir = join(tmp, 'extensions');
  const resultsFile = join(tmp, 'results.json');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = { ...DEFAULT_USER_SETTINGS, ...spec.userSettings };
  writeFileSync(join(userDataDir, 'User/settings.json'), JSON.stringify(settings, null, 2));
  const workspace = buildWorkspace(join(tmp, 'ws'), spec.workspace);
  const env: Record<string, string> = {
    [ENV_RESULTS]: resultsFile,
    [ENV_SUITES]: spec.suites.join(','),
    ...(grep ? { [ENV_GREP]: grep } : {}),
    ...spec.env,
  };
  return { tmp, userDataDir, extensionsDir, resultsFile, workspace, env };
}
