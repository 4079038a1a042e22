// Git run as a program on a folder Dejafix did not write: a repository is data, not code. Its own
// config can name commands (core.fsmonitor, diff.external, textconv, clean filters, hooks, pager)
// that a plain `git diff` or `git status` would run; every git call goes through here, which turns
// each of those off, so looking at a hostile clone never executes anything from it.
import { execFile } from 'node:child_process';

/** Options in front of every git command: no fsmonitor, hooks, pager or file:// transport. */
export const SAFE_GIT_OPTIONS = [
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'protocol.file.allow=never',
  '-c',
  'core.untrackedCache=false',
  '--no-pager',
] as const;

/** Diff options that keep external diff programs and textconv filters from running. */
export const SAFE_DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv'] as const;

const DIFF_COMMANDS = new Set(['diff', 'log', 'show', 'diff-index', 'diff-files', 'diff-tree', 'format-patch']);

/** Environment for git: no system config, no pager, no external diff, no prompt, no optional index writes. */
export function safeGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // Variables that would point git at another repository, config or program than the folder's.
  for (const k of Object.keys(env)) {
    if (
      /^GIT_(DIR|WORK_TREE|INDEX_FILE|EXTERNAL_DIFF|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|EXEC_PATH|SSH|SSH_COMMAND|ASKPASS|PROXY_COMMAND|CEILING_DIRECTORIES)$/.test(
        k,
      )
    )
      delete env[k];
  }
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
}

function exec(
  cwd: string,
  args: string[],
  timeout: number,
  config: [string, string][] = [],
  input?: string,
): Promise<{ code: number; stdout: string }> {
  const env = safeGitEnv();
  // Overrides as GIT_CONFIG_KEY_n/VALUE_n, so a key holding `=` or spaces cannot be misread.
  if (config.length) {
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([k, v], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = k;
      env[`GIT_CONFIG_VALUE_${i}`] = v;
    });
  }
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, maxBuffer: 32 * 1024 * 1024, timeout, windowsHide: true, env }, (err, stdout) => {
      if (!err) return resolve({ code: 0, stdout });
      const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      if (code === -1 || (err as { killed?: boolean }).killed) reject(err);
      else resolve({ code, stdout });
    });
    if (input !== undefined) {
      // git may exit before reading it all (an error): the callback reports that, not a broken pipe.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(input);
    }
  });
}

/**
 * Clean/smudge filters the repository's own config (or a file it includes) defines: each is
 * switched off for the call (an empty command and not required), since `.gitattributes` in the
 * tree decides which files they run on. Filters from the user's global config (git-lfs) stay.
 */
export async function repoFilterOverrides(cwd: string, timeout = 20_000): Promise<[string, string][]> {
  const r = await exec(
    cwd,
    [...SAFE_GIT_OPTIONS, 'config', '--show-scope', '--includes', '--null', '--get-regexp', '^filter\\.'],
    timeout,
  ).catch(() => undefined);
  if (!r || r.code !== 0) return [];
  const parts = r.stdout.split('\0');
  const names = new Set<string>();
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const key = parts[i + 1].split('\n')[0];
    const name = key.slice('filter.'.length, key.lastIndexOf('.'));
    if (parts[i] !== 'global' && key.startsWith('filter.') && name) names.add(name);
  }
  return [...names].flatMap((n): [string, string][] => [
    [`filter.${n}.clean`, ''],
    [`filter.${n}.smudge`, ''],
    [`filter.${n}.process`, ''],
    [`filter.${n}.required`, 'false'],
  ]);
}

/**
 * Runs `git <args>` in `cwd` with the safe options; resolves with stdout when the exit code is one
 * of `okCodes`, rejects otherwise (and when git is missing or times out). `filters: false` skips
 * the filter lookup for commands that never read file contents (rev-parse, config); a list reuses
 * one lookup across several calls. `input` is written to git's standard input (`--stdin` commands).
 */
export async function runGit(
  cwd: string,
  args: readonly string[],
  opts: { okCodes?: number[]; timeout?: number; filters?: boolean | [string, string][]; input?: string } = {},
): Promise<string> {
  const timeout = opts.timeout ?? 20_000;
  const filters = Array.isArray(opts.filters) ? opts.filters : opts.filters === false ? [] : await repoFilterOverrides(cwd, timeout);
  // Any command that prints a diff gets the diff options too, whatever the caller passed.
  const full = DIFF_COMMANDS.has(args[0]) ? [args[0], ...SAFE_DIFF_OPTIONS, ...args.slice(1)] : [...args];
  const r = await exec(cwd, [...SAFE_GIT_OPTIONS, ...full], timeout, filters, opts.input);
  if ((opts.okCodes ?? [0]).includes(r.code)) return r.stdout;
  throw new Error(`git ${args[0]} exited with ${r.code}`);
}

/** A commit name safe to pass as an argument: a hex object id or HEAD, never an option. */
export function safeRevision(rev: string | undefined): string {
  return rev && /^[0-9a-f]{4,64}$/i.test(rev) ? rev : 'HEAD';
}
