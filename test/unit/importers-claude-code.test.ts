// Claude Code session transcripts → episodes, through the real store.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Episode } from '../../src/core/model';
import { ExperienceStore } from '../../src/core/store';
import { InputFileError, documentFormat, importDocuments } from '../../src/core/ingest';
import { useTempDir } from '../helpers/tmp';

const PROJECT = join(__dirname, '../fixtures/claude-code/-home-dev-ledger');
const SESSION_A = join(PROJECT, '5b1c2d3e-0000-4000-8000-00000000000a.jsonl');

async function allEpisodes(store: ExperienceStore): Promise<Map<string, Episode>> {
  const out = new Map<string, Episode>();
  for await (const batch of store.episodes()) for (const e of batch) out.set(e.sourceId ?? e.id, e);
  return out;
}

describe('import --format claude-code', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(join(tmp.path, 'store'));
  });
  afterEach(() => store.close());

  const importPath = async (path: string) => importDocuments(store, path, (await documentFormat('claude-code')).format, { batchSize: 2 });

  it('imports a project folder: one episode per session, sub-agent transcripts skipped', async () => {
    const r = await importPath(PROJECT);
    assert.deepEqual(r.problems, []);
    assert.deepEqual([r.filesFound, r.filesImported], [3, 3], 'agent-*.jsonl is part of its parent session');
    assert.deepEqual(r.episodes, { inserted: 3, updated: 0 });
    assert.deepEqual(r.attempts, { inserted: 3, updated: 0 });
    const eps = await allEpisodes(store);
    assert.deepEqual([...eps.keys()].sort(), [
      '5b1c2d3e-0000-4000-8000-00000000000a',
      '5b1c2d3e-0000-4000-8000-00000000000b',
      '5b1c2d3e-0000-4000-8000-00000000000c',
    ]);
    assert.deepEqual([...eps.values()].map((e) => e.outcome).sort(), ['abandoned', 'failed', 'resolved']);
    for (const e of eps.values()) assert.equal(e.source, 'import:claude-code');
  });

  it('maps a session: first prompt → issue, test runs → attempts with the edits so far, last run passed → resolved', async () => {
    await importPath(SESSION_A);
    const e = (await allEpisodes(store)).get('5b1c2d3e-0000-4000-8000-00000000000a');
    assert.ok(e);
    assert.equal(e.issue.title, 'The balance report crashes when an account has no transactions:');
    assert.match(e.issue.body, /Please fix it and add a test\./);
    assert.equal(e.errorSignature, 'ZeroDivisionError: division by zero');
    assert.equal(e.repo, 'ledger');
    assert.equal(e.outcome, 'resolved');
    assert.equal(e.createdAt, '2025-06-01T10:00:00.000Z');
    assert.equal(e.endedAt, '2025-06-01T10:00:51.000Z');
    assert.deepEqual(
      e.attempts.map((a) => [a.command, a.exitCode, a.outcome, a.by]),
      [
        ['python -m pytest tests/test_report.py -q', 1, 'failed', 'claude-code'],
        ['cd /home/dev/ledger && python -m pytest -q', 0, 'passed', 'claude-code'],
      ],
    );
    assert.equal(e.attempts[0].patch, '', 'nothing was edited before the first run');
    assert.match(e.attempts[0].outputTail, /FAILED tests\/test_report.py::test_empty/);
    assert.equal(e.attempts[1].patch, e.finalPatch);
    assert.deepEqual(e.files, ['ledger/report.py', 'tests/test_empty.py']);
    assert.ok(e.symbols.includes('balances'), `symbols: ${e.symbols.join(', ')}`);
    assert.doesNotMatch(e.finalPatch, /partial/);
  });

  it('builds a final patch that git applies to the original files and that gives the edited files', async () => {
    await importPath(SESSION_A);
    const e = (await allEpisodes(store)).get('5b1c2d3e-0000-4000-8000-00000000000a');
    assert.ok(e);
    const lines = readFileSync(SESSION_A, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const edit = lines.find((l) => l.toolUseResult?.originalFile);
    const work = join(tmp.path, 'work');
    mkdirSync(join(work, 'ledger'), { recursive: true });
    writeFileSync(join(work, 'ledger/report.py'), edit.toolUseResult.originalFile);
    writeFileSync(join(work, 'fix.patch'), e.finalPatch);
    execFileSync('git', ['apply', '--whitespace=nowarn', 'fix.patch'], { cwd: work });
    const expected = edit.toolUseResult.originalFile.replace(edit.toolUseResult.oldString, edit.toolUseResult.newString);
    assert.equal(readFileSync(join(work, 'ledger/report.py'), 'utf8'), expected);
    const write = lines.find((l) => l.toolUseResult?.type === 'create');
    assert.equal(readFileSync(join(work, 'tests/test_empty.py'), 'utf8'), write.toolUseResult.content);
  });

  it('marks a patch partial when the file before the session is unknown, and reads a piped test run from its output', async () => {
    await importPath(join(PROJECT, '5b1c2d3e-0000-4000-8000-00000000000b.jsonl'));
    const e = (await allEpisodes(store)).get('5b1c2d3e-0000-4000-8000-00000000000b');
    assert.ok(e);
    assert.equal(e.issue.title, 'sum() returns NaN for an empty list', 'meta lines and /commands are not the prompt');
    assert.match(e.finalPatch, /^# Dejafix: partial diff/m);
    assert.match(e.finalPatch, /^- {2}return xs\.reduce\(\(a, b\) => a \+ b\) \/ 1;$/m);
    assert.deepEqual(e.files, ['src/sum.ts']);
    // `npm test | tail` exits 0 whatever the tests did; the output says 1 failed.
    assert.deepEqual(
      e.attempts.map((a) => [a.command, a.exitCode, a.outcome]),
      [['npm test 2>&1 | tail -5', 0, 'failed']],
    );
    assert.equal(e.outcome, 'failed', 'the last run failed; a run without a result (session cut) is not an attempt');
  });

  it('gives a session without test runs the outcome abandoned', async () => {
    await importPath(join(PROJECT, '5b1c2d3e-0000-4000-8000-00000000000c.jsonl'));
    const e = (await allEpisodes(store)).get('5b1c2d3e-0000-4000-8000-00000000000c');
    assert.deepEqual([e?.outcome, e?.attempts.length, e?.finalPatch], ['abandoned', 0, '']);
  });

  it('updates on re-import instead of duplicating, also when the folder is given as ~/.claude/projects', async () => {
    await importPath(PROJECT);
    const projects = join(tmp.path, 'projects');
    cpSync(PROJECT, join(projects, '-home-dev-ledger'), { recursive: true });
    const again = await importPath(projects);
    assert.deepEqual(again.episodes, { inserted: 0, updated: 3 });
    assert.deepEqual(again.attempts, { inserted: 0, updated: 3 });
    assert.equal(await store.count('episodes'), 3);
    assert.equal(await store.count('attempts'), 3);
  });

  it('refuses a missing path and a folder without transcripts with a clear error', async () => {
    await assert.rejects(
      importPath(join(tmp.path, 'nope')),
      (e: Error) => e instanceof InputFileError && /no such file or folder/.test(e.message),
    );
    mkdirSync(join(tmp.path, 'empty'));
    writeFileSync(join(tmp.path, 'empty', 'notes.txt'), 'x');
    await assert.rejects(importPath(join(tmp.path, 'empty')), /no files of this format/);
    await assert.rejects(documentFormat('claude-code', { resultsFile: 'r.jsonl' }), /--results is for --format sweagent-traj only/);
  });
});
