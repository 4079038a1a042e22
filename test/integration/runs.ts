// The integration runs: each starts its own code-server with its own workspace, options and suites.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './env';
import type { WorkspaceSpec } from './workspace';

const { name, version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
/** Written by `npm run package -- --target linux-x64` (npm test runs it first). */
export const LINUX_X64_VSIX = join(REPO_ROOT, 'dist-vsix', `${name}-linux-x64-${version}.vsix`);

export interface RunSpec {
  name: string;
  /** Folders under dist/test/integration whose *.test.js files run in this window. */
  suites: string[];
  workspace: WorkspaceSpec;
  /** Default true (--disable-workspace-trust). false opens the workspace untrusted. */
  trust?: boolean;
  /** User settings for this run, merged over the defaults below. */
  userSettings?: Record<string, unknown>;
  /** Extra environment for the extension host. */
  env?: Record<string, string>;
  /** Install this VSIX and test it instead of loading the repository as the development extension. */
  vsix?: string;
  /** Whole-run timeout (default 5 minutes, or DEJAFIX_IT_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** Quiet, offline user settings for every run. */
export const DEFAULT_USER_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.openRepositoryInParentFolders': 'never',
  // Suites written before implicit sessions expect a failing run without a session to record
  // nothing; the auto-session run below tests the product default ('on').
  'dejafix.capture.autoSession': 'off',
};

export const RUNS: RunSpec[] = [
  {
    name: 'main',
    suites: ['suite'],
    workspace: { folders: [{ name: 'project', fixture: 'project', git: true }] },
    // The main run checks plumbing (recall, panel, capture) on one- or two-episode stores, not the
    // relevance threshold (unit relevanceDefault, UI noConfidentMatch, the new-user run with the default).
    userSettings: { 'dejafix.recall.minRelevance': 0 },
  },
  {
    name: 'untrusted',
    suites: ['suite-untrusted'],
    trust: false,
    // No modal trust prompt: the folder simply opens in Restricted Mode.
    userSettings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.enabled': true },
    workspace: { folders: [{ name: 'untrusted-project', fixture: 'project' }] },
  },
  {
    name: 'multi-root',
    suites: ['suite-multiroot'],
    workspace: {
      multiRoot: true,
      folders: [
        { name: 'frontend', fixture: 'project', git: true },
        { name: 'backend', fixture: 'project', git: true },
      ],
    },
  },
  {
    // A new user's first minutes, from the demo as `npm start` sets it up (fresh profile, the demo
    // project as a clone of the demo memory's repository): the walkthrough, recall, a failing then a
    // passing test run, the save. Screenshots go to DEJAFIX_SCREENSHOT_DIR when it is set.
    name: 'new-user',
    suites: ['suite-newuser'],
    workspace: {
      folders: [
        {
          name: 'invoice-service',
          source: join(REPO_ROOT, 'demo/workspace'),
          git: true,
          remote: 'https://github.com/acme/invoice-service.git',
        },
      ],
    },
  },
  {
    // Team memory in the editor against Azurite on 127.0.0.1 (started by the suite): settings and
    // SecretStorage credentials, sync with its status bar, Share with Team's preview, origin badges, .dejafix/.
    name: 'team',
    suites: ['suite-team'],
    workspace: { folders: [{ name: 'project', fixture: 'project', git: true }] },
    env: { DEJAFIX_REMOTE_RETRY_TIMEOUT: '3' },
  },
  {
    // Implicit sessions with the product default: agent-style terminal runs (shell integration's
    // executeCommand, as Copilot agent mode runs them) open a session by themselves and resolve it.
    name: 'auto-session',
    suites: ['suite-autosession'],
    userSettings: { 'dejafix.capture.autoSession': 'on' },
    workspace: { folders: [{ name: 'cart', fixture: 'autosession', git: true }] },
  },
  {
    // The packaged extension, installed like a user installs it: activates and recalls from its own node_modules.
    name: 'vsix',
    suites: ['suite-vsix'],
    vsix: LINUX_X64_VSIX,
    workspace: { folders: [{ name: 'project', fixture: 'project', git: true }] },
  },
];
