// bench:hooks — what an agent waits for on each hook call: the wall time of `node dist/hook.js
// claude-code` as Claude Code runs it (a new process, the event JSON on stdin), p50/p95 per event.
// The store holds the older 80% of the real SWE-bench Lite instances (by creation time); the first
// prompts are the newer 20% of issues, each in a git repository whose remote is the instance's, so
// recall searches the same repository as it would for a real user. Node's own start (`node -e 0`)
// is measured too: it is the floor no hook can go under. The old path (the whole CLI bundle) for
// comparison, and the sh fast path (dist/hook.sh → the warm server over curl, no Node) with its own
// floor (`sh` + `curl`), and a later prompt after a failing test run (it recalls again). Targets (issue 16):
// PostToolUse p50 ≤ 100 ms, UserPromptSubmit with recall p50 ≤ 600 ms.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoIdFor } from '../src/core/capture/repoId';
import { ExperienceStore } from '../src/core/store';
import { realEpisodes } from './corpus';
import { machineLine } from './machine';

const HOOK = join(__dirname, '../dist/hook.js');
const HOOK_SH = join(__dirname, '../dist/hook.sh');
const CLI = join(__dirname, '../dist/cli.js');
const N = Number(process.env.BENCH_RUNS ?? 40);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
const row = (name: string, xs: number[], note = '') =>
  console.log(`| ${name} | ${pct(xs, 50).toFixed(0)} | ${pct(xs, 95).toFixed(0)} | ${xs.length} | ${note} |`);

function timed(args: string[], input: string, env: NodeJS.ProcessEnv, cmd = process.execPath): { ms: number; stdout: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { input, env, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

function gitRepo(dir: string, remote: string): void {
  mkdirSync(dir, { recursive: true });
  const git = (...a: string[]) => execFileSync('git', a, { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'b@example.com');
  git('config', 'user.name', 'b');
  git('remote', 'add', 'origin', remote);
  writeFileSync(join(dir, 'app.py'), 'def total(xs):\n    return sum(xs)\n');
  git('add', '.');
  git('commit', '-qm', 'init');
  writeFileSync(join(dir, 'app.py'), 'def total(xs):\n    return sum(xs or [])\n');
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'dejafix-bench-hooks-'));
  const store = join(tmp, 'store');
  const env = { ...process.env, DEJAFIX_STORE: undefined, DEJAFIX_HOOK_DIR: join(tmp, 'journal') } as NodeJS.ProcessEnv & {
    DEJAFIX_HOOK_DIR: string;
  };
  try {
    const all = realEpisodes().sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    const remoteOf = (repo: string) => `https://github.com/${repo}.git`;
    const repoId = (repo: string) => repoIdFor(remoteOf(repo), repo.split('/')[1]);
    const cut = Math.floor(all.length * 0.8);
    const s = await ExperienceStore.open(store, { mode: 'write' });
    await s.upsertEpisodes(all.slice(0, cut).map((e) => ({ ...e, repo: repoId(e.repo) })));
    s.close();
    const queries = all.slice(cut);
    const folders = new Map<string, string>();
    for (const q of queries) {
      if (folders.has(q.repo)) continue;
      const dir = join(tmp, 'repos', q.repo.replace('/', '__'));
      gitRepo(dir, remoteOf(q.repo));
      folders.set(q.repo, dir);
    }
    const hook = (event: Record<string, unknown>, cli = false, extra: NodeJS.ProcessEnv = {}) =>
      timed(cli ? [CLI, 'hook', 'claude-code', '--store', store] : [HOOK, 'claude-code', '--store', store], JSON.stringify(event), {
        ...env,
        ...extra,
      });

    console.log(`bench:hooks — ${new Date().toISOString().slice(0, 10)} — ${machineLine()}`);
    console.log(`store: ${cut} episodes (older 80% of SWE-bench Lite); ${queries.length} first prompts from the newer 20%\n`);
    console.log('| event | p50 ms | p95 ms | runs | note |\n|---|---:|---:|---:|---|');
    const floor: number[] = [];
    for (let i = 0; i < N; i++) floor.push(timed(['-e', '0'], '', env).ms);
    row('`node -e 0` (floor)', floor);

    // UserPromptSubmit: each prompt opens a new session and recalls. Cold: in the hook's own process
    // (DEJAFIX_HOOK_WARM=0: loads the CLI bundle, LanceDB and the model every time). Warm: the
    // default — the first prompt recalls cold and starts the warm recall server, the others ask it.
    // BENCH_HOOKS_COLD=0 skips the cold row (60 cold recalls: minutes on a loaded machine).
    for (const [label, extra] of [
      ...(process.env.BENCH_HOOKS_COLD === '0' ? [] : ([['cold, DEJAFIX_HOOK_WARM=0', { DEJAFIX_HOOK_WARM: '0' }]] as const)),
      ['warm server (default)', {}] as const,
    ]) {
      const prompt: number[] = [];
      let injected = 0;
      for (const [i, q] of queries.entries()) {
        const r = hook(
          {
            session_id: `p${label[0]}${i}`,
            cwd: folders.get(q.repo),
            hook_event_name: 'UserPromptSubmit',
            prompt: `${q.issue.title}\n\n${q.issue.body}`,
          },
          false,
          extra,
        );
        prompt.push(r.ms);
        if (r.stdout.trim()) injected++;
      }
      row(
        `UserPromptSubmit (open + recall), ${label}`,
        prompt,
        `memory injected for ${injected} of ${queries.length}${label.startsWith('warm') ? `; the first (cold, starts the server) took ${prompt[0].toFixed(0)} ms` : ''}`,
      );
    }

    const cwd = folders.get(queries[0].repo)!;
    // The first session opened above (its journal has the base commit, so a test command is diffed).
    const sid = process.env.BENCH_HOOKS_COLD === '0' ? 'pw0' : 'pc0';
    const tool: number[] = [];
    for (let i = 0; i < N; i++)
      tool.push(
        hook({
          session_id: sid,
          cwd,
          hook_event_name: 'PostToolUse',
          tool_name: 'Bash',
          tool_input: { command: `grep -rn total src/${i}` },
          tool_response: { stdout: 'app.py:1', stderr: '', interrupted: false },
        }).ms,
      );
    row('PostToolUse, Bash (not a test)', tool);
    const edit: number[] = [];
    for (let i = 0; i < N; i++)
      edit.push(
        hook({
          session_id: sid,
          cwd,
          hook_event_name: 'PostToolUse',
          tool_name: 'Edit',
          tool_input: { file_path: join(cwd, 'app.py'), old_string: 'sum(xs)', new_string: 'sum(xs or [])' },
          tool_response: {},
        }).ms,
      );
    row('PostToolUse, Edit', edit);
    const test: number[] = [];
    const out = Array.from({ length: 200 }, (_, i) => `tests/test_app.py::test_${i} PASSED`).join('\n');
    for (let i = 0; i < N; i++)
      test.push(
        hook({
          session_id: sid,
          cwd,
          hook_event_name: i % 2 ? 'PostToolUse' : 'PostToolUseFailure',
          tool_name: 'Bash',
          tool_input: { command: 'python -m pytest tests' },
          ...(i % 2
            ? { tool_response: { stdout: out, stderr: '', interrupted: false } }
            : { error: `Exit code 1\n${out}\nFAILED tests/test_app.py::test_total` }),
        }).ms,
      );
    row('PostToolUse, test command (git diff + redaction + journal)', test);

    // The sh fast path (`dejafix connect`'s command): the warm server started by the prompts above is
    // up, so the event goes to it over curl --unix-socket and no Node starts. Node is given as a path
    // that does not exist: an event that fell back to it would not be recorded, and the count says so.
    const journalLines = () =>
      readdirSync(env.DEJAFIX_HOOK_DIR)
        .filter((f) => f.endsWith('.jsonl'))
        .reduce((n, f) => n + readFileSync(join(env.DEJAFIX_HOOK_DIR, f), 'utf8').split('\n').length - 1, 0);
    const fast = (event: Record<string, unknown>) =>
      timed([HOOK_SH, '/nonexistent/node', HOOK, 'claude-code', '--store', store], JSON.stringify(event), env, '/bin/sh');
    const shFloor: number[] = [];
    for (let i = 0; i < N; i++) shFloor.push(timed(['-c', 'curl --version >/dev/null'], '', env, '/bin/sh').ms);
    row('`sh -c "curl --version"` (floor of the fast path)', shFloor);
    for (const [label, ev, adds] of [
      ['Bash (not a test)', { tool_name: 'Bash', tool_input: { command: 'ls' }, tool_response: { stdout: 'app.py', stderr: '' } }, 0],
      [
        'Edit',
        { tool_name: 'Edit', tool_input: { file_path: join(cwd, 'app.py'), old_string: 'a', new_string: 'b' }, tool_response: {} },
        1,
      ],
      [
        'test command',
        { tool_name: 'Bash', tool_input: { command: 'python -m pytest tests' }, tool_response: { stdout: out, stderr: '' } },
        1,
      ],
    ] as const) {
      const before = journalLines();
      const xs: number[] = [];
      for (let i = 0; i < N; i++) xs.push(fast({ session_id: sid, cwd, hook_event_name: 'PostToolUse', ...ev }).ms);
      const added = journalLines() - before;
      row(`PostToolUse, ${label}, **sh fast path** (dist/hook.sh → warm server)`, xs, `${added} of ${N * adds} expected journal entries`);
    }
    /** A failing `pytest` in session `id` (a test run the journal records). */
    const failingRun = (id: string, c: string) =>
      hook({
        session_id: id,
        cwd: c,
        hook_event_name: 'PostToolUseFailure',
        tool_name: 'Bash',
        tool_input: { command: 'pytest' },
        error: 'Exit code 1\nAssertionError',
      });
    const end: number[] = [];
    for (let i = 0; i < Math.min(N, queries.length); i++) {
      const id = `end${i}`;
      const c = folders.get(queries[i].repo)!;
      hook({ session_id: id, cwd: c, hook_event_name: 'UserPromptSubmit', prompt: queries[i].issue.title });
      failingRun(id, c);
      hook({
        session_id: id,
        cwd: c,
        hook_event_name: 'PostToolUse',
        tool_name: 'Bash',
        tool_input: { command: 'pytest' },
        tool_response: { stdout: '1 passed', stderr: '' },
      });
      end.push(hook({ session_id: id, cwd: c, hook_event_name: 'SessionEnd', reason: 'exit' }).ms);
    }
    row('SessionEnd (commit one episode)', end);
    // A later prompt after a failing test run recalls again (the session's issue, with the checkout's
    // changed files): the fast path hands it to the Node hook, which asks the warm server.
    const again: number[] = [];
    let injectedAgain = 0;
    for (let i = 0; i < Math.min(N, queries.length); i++) {
      const id = `mid${i}`;
      const c = folders.get(queries[i].repo)!;
      hook({
        session_id: id,
        cwd: c,
        hook_event_name: 'UserPromptSubmit',
        prompt: `${queries[i].issue.title}\n\n${queries[i].issue.body}`,
      });
      failingRun(id, c);
      const r = hook({ session_id: id, cwd: c, hook_event_name: 'UserPromptSubmit', prompt: 'the test still fails' });
      again.push(r.ms);
      if (r.stdout.trim()) injectedAgain++;
    }
    row(
      'UserPromptSubmit after a failing test run (recall again, warm)',
      again,
      `injected for ${injectedAgain} of ${again.length} (only a repair not given at the first prompt is)`,
    );
    const old: number[] = [];
    for (let i = 0; i < Math.min(N, 15); i++)
      old.push(
        hook(
          {
            session_id: 'old',
            cwd,
            hook_event_name: 'PostToolUse',
            tool_name: 'Bash',
            tool_input: { command: 'ls' },
            tool_response: { stdout: '' },
          },
          true,
        ).ms,
      );
    row('PostToolUse via `dejafix hook` (whole CLI bundle, before)', old);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
