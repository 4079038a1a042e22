// What the `dejafix hook claude-code` tests share: the store and a git repository in the test's temp folder, the hook
// run as Claude Code runs it (the documented event JSON on stdin of the built CLI), an event's common fields, a memory
// holding one cart repair among unrelated ones, and the hook's journal as text.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as lancedb from '@lancedb/lancedb';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { runCli, type CliResult } from './cli';
import { makeAttempt, makeEpisode } from './records';

export function claudeHook(tmp: { readonly path: string }) {
  const store = () => join(tmp.path, 'store');
  const repo = () => join(tmp.path, 'cart');
  const hook = (event: Record<string, unknown> | string) =>
    runCli(['hook', 'claude-code', '--store', store()], { input: typeof event === 'string' ? event : JSON.stringify(event) });
  const base = (sessionId: string, name: string) => ({
    session_id: sessionId,
    transcript_path: join(tmp.path, `${sessionId}.jsonl`),
    cwd: repo(),
    hook_event_name: name,
  });

  function gitRepo(): void {
    mkdirSync(repo());
    const git = (...a: string[]) => execFileSync('git', a, { cwd: repo() });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 't@example.com');
    git('config', 'user.name', 't');
    writeFileSync(join(repo(), 'total.js'), 'module.exports = (xs) => xs.reduce((a, b) => a + b);\n');
    git('add', '.');
    git('commit', '-qm', 'init');
  }

  async function seedMemory(): Promise<void> {
    const s = await ExperienceStore.open(store(), { mode: 'write' });
    const ep = makeEpisode({
      id: 'ep-cart-nan',
      repo: 'cart',
      issue: { title: 'Cart total is NaN for an empty cart', body: 'reduce without an initial value returns NaN on an empty cart' },
      finalPatch:
        'diff --git a/total.js b/total.js\n--- a/total.js\n+++ b/total.js\n@@ -1 +1 @@\n-xs.reduce((a, b) => a + b)\n+xs.reduce((a, b) => a + b, 0)\n',
      files: ['total.js'],
      createdAt: new Date(Date.now() - 86_400_000).toISOString(),
      endedAt: new Date().toISOString(),
    });
    await s.upsertEpisodes([
      {
        ...ep,
        attempts: [makeAttempt(ep.id, { command: 'npm test', outputTail: 'TypeError: Reduce of empty array with no initial value' })],
      },
    ]);
    // Neighbours about other code, as in any real memory (relevance weighs how rare the shared words are).
    const others = [
      ['Login form ignores the remember-me box', 'auth/session.js'],
      ['Invoice PDF logo upside down', 'pdf/logo.py'],
      ['Search box crashes on emoji', 'search/query.js'],
      ['Dark mode colours wrong in settings', 'ui/theme.css'],
    ];
    await s.upsertEpisodes(
      others.map(([t, f], i) =>
        makeEpisode({
          id: `ep-other-${i}`,
          repo: 'cart',
          issue: { title: t, body: `${t}. Steps to reproduce in ${f}.` },
          files: [f],
          createdAt: new Date(Date.now() - 86_400_000 * (i + 2)).toISOString(),
        }),
      ),
    );
    s.close();
  }
  const journalText = () =>
    readdirSync(join(tmp.path, 'store-journal'))
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => readFileSync(join(tmp.path, 'store-journal', f), 'utf8'))
      .join('');
  /** The small bundle `dejafix connect` points agents at (dist/hook.js), run as Claude Code runs it. */
  const smallHook = (event: Record<string, unknown>): Promise<CliResult> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(__dirname, '../../dist/hook.js'), 'claude-code', '--store', store()], {
        env: { ...process.env, DEJAFIX_STORE: undefined },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(JSON.stringify(event));
    });
  const mine = async (): Promise<string[]> => {
    if (!existsSync(join(store(), 'episodes.lance'))) return [];
    const db = await lancedb.connect(store());
    const rows = (await (await db.openTable('episodes')).query().where("source = 'agent:claude-code'").select(['id']).toArray()) as {
      id: string;
    }[];
    db.close();
    return rows.map((r) => r.id);
  };
  return { store, repo, hook, base, gitRepo, seedMemory, journalText, smallHook, mine };
}
