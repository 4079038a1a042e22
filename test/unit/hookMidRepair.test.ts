// When a hooked session recalls again (claudeCode.ts midRepairDue): the first later prompt after a
// failing test run, once per failure; and the warm server's fast path hands exactly those prompts
// (and first prompts) to the Node hook, which may recall (fastPath.ts needsNodeHook).
import * as assert from 'node:assert/strict';
import { midRepairDue } from '../../src/core/capture/hooks/claudeCode';
import { needsNodeHook } from '../../src/core/capture/hooks/fastPath';
import { parseHookEvent } from '../../src/core/capture/hooks/event';
import { Journal, type JournalEntry } from '../../src/core/capture/hooks/journal';
import { useTempDir } from '../helpers/tmp';

const at = '2026-12-07T00:00:00.000Z';
const open: JournalEntry = { t: 'open', at, folder: '/w', repo: 'shop', issue: { title: 't', body: 'b' } };
const run = (exitCode: number | null): JournalEntry => ({ t: 'run', at, command: 'npm test', exitCode, output: '', patch: '' });
const injected: JournalEntry = { t: 'injected', at, episodes: [], insights: [] };
const edit: JournalEntry = { t: 'edit', at, files: ['a.js'] };
const mcp: JournalEntry = { t: 'mcp', at, tool: 'dejafix_record_attempt' };

/** The rule said another way: the last run failed (a non-zero exit), and nothing was recalled after it. */
function expected(entries: JournalEntry[]): boolean {
  const last = entries.map((x) => x.t).lastIndexOf('run');
  if (last < 0) return false;
  const r = entries[last] as Extract<JournalEntry, { t: 'run' }>;
  return r.exitCode !== null && r.exitCode !== 0 && !entries.slice(last).some((x) => x.t === 'injected');
}

describe('hooks: recalling again mid-repair', () => {
  it('is due after a failing run and before the next recall, over 500 drawn journals', () => {
    let seed = 11;
    const r = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const kinds = [() => run(0), () => run(1), () => run(2), () => run(-1), () => run(null), () => injected, () => edit, () => mcp];
    let due = 0;
    for (let i = 0; i < 500; i++) {
      const entries: JournalEntry[] = [
        open,
        ...Array.from({ length: Math.floor(r() * 10) }, () => kinds[Math.floor(r() * kinds.length)]()),
      ];
      assert.equal(midRepairDue(entries), expected(entries), JSON.stringify(entries.map((x) => (x.t === 'run' ? x.exitCode : x.t))));
      if (expected(entries)) due++;
    }
    assert.ok(due > 50 && due < 450, `both answers drawn (${due} due)`);
  });

  it('the fixed cases: nothing yet, a pass, a failure, a recall after it, a kill (no exit code)', () => {
    assert.equal(midRepairDue([open]), false);
    assert.equal(midRepairDue([open, run(0)]), false);
    assert.equal(midRepairDue([open, run(1)]), true);
    assert.equal(midRepairDue([open, run(1), edit]), true);
    assert.equal(midRepairDue([open, run(1), injected]), false);
    assert.equal(midRepairDue([open, run(1), injected, run(1)]), true);
    assert.equal(midRepairDue([open, run(1), run(0)]), false);
    assert.equal(midRepairDue([open, run(null)]), false);
  });

  describe('the fast path', () => {
    const tmp = useTempDir();
    const event = (prompt: string) =>
      parseHookEvent(JSON.stringify({ session_id: 's1', cwd: '/w', hook_event_name: 'UserPromptSubmit', prompt }))!;

    it('hands the Node hook first prompts and the prompt due a recall; the rest it handles itself', async () => {
      const d = { journalDir: tmp.path, agent: 'claude-code' };
      const journal = new Journal(tmp.path, 'claude-code', 's1');
      assert.equal(await needsNodeHook(event('fix it'), d), true, 'a first prompt');
      assert.equal(await needsNodeHook(event('   '), d), false, 'an empty prompt');
      await journal.append(open);
      assert.equal(await needsNodeHook(event('go on'), d), false, 'a later prompt, nothing failed');
      await journal.append(run(1));
      assert.equal(await needsNodeHook(event('still failing'), d), true, 'after a failing run');
      await journal.append(injected);
      assert.equal(await needsNodeHook(event('and now?'), d), false, 'recalled already');
    });
  });
});
