// SWE-agent .traj files → episodes, through the real store.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore, findRecords } from '../../src/core/store';
import { documentFormat, importDocuments } from '../../src/core/ingest';
import type { Episode } from '../../src/core/model';
import { useTempDir } from '../helpers/tmp';

const DIR = join(__dirname, '../fixtures/sweagent');
const RESULTS = join(DIR, 'results.jsonl');
async function allEpisodes(store: ExperienceStore): Promise<Map<string, Episode>> {
  const out = new Map<string, Episode>();
  for await (const batch of store.episodes()) for (const e of batch) out.set(e.sourceId ?? e.id, e);
  return out;
}
const traj = (name: string) => JSON.parse(readFileSync(join(DIR, `${name}.traj`), 'utf8'));

describe('import --format sweagent-traj', () => {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await ExperienceStore.open(join(tmp.path, 'store'));
  });
  afterEach(() => store.close());

  const importPath = async (path: string, resultsFile?: string) => {
    const { format, sideErrors } = await documentFormat('sweagent-traj', { resultsFile });
    return { ...(await importDocuments(store, path, format)), sideErrors };
  };

  it('maps a 0.x trajectory: issue from the prompt, runs → attempts, submission → final patch', async () => {
    const r = await importPath(DIR);
    assert.deepEqual([r.filesFound, r.filesImported, r.problems.length], [3, 3, 0]);
    const eps = await allEpisodes(store);
    const e = eps.get('acme__ledger-101');
    assert.ok(e);
    const t = traj('acme__ledger-101');
    assert.equal(e.repo, 'acme/ledger');
    assert.equal(e.issue.title, 'Balance report crashes when an account has no transactions');
    assert.equal(e.errorSignature, 'ZeroDivisionError: division by zero');
    assert.equal(e.finalPatch, t.info.submission);
    assert.deepEqual(e.files, ['ledger/report.py', 'reproduce.py']);
    assert.equal(e.source, 'import:sweagent-traj');
    assert.deepEqual(
      e.attempts.map((a) => [a.command, a.outcome, a.exitCode, a.by]),
      [
        ['python reproduce.py', 'failed', null, 'swe-agent'],
        ['python reproduce.py', 'passed', null, 'swe-agent'],
      ],
    );
    assert.equal(e.attempts[0].outputTail, t.trajectory[2].observation);
    assert.equal(e.attempts[0].patch, '', 'files were edited after this run: its code is not known');
    assert.equal(e.attempts[1].patch, t.info.submission, 'only looking around followed: it ran the submitted code');
    assert.ok(e.attempts[0].at < e.attempts[1].at && e.attempts[1].at <= (e.endedAt ?? ''));
    assert.equal(e.outcome, 'resolved', 'without evaluation results the last run decides');
  });

  it('reads the 1.x shape (content blocks, <pr_description>, str_replace_editor) and never takes an edit body for a command', async () => {
    await importPath(join(DIR, 'widgets__core-7.traj'));
    const e = (await allEpisodes(store)).get('widgets__core-7');
    assert.ok(e);
    assert.deepEqual(e.issue, { title: 'clamp() ignores the upper bound', body: 'clamp(12, 0, 10) returns 12 instead of 10.' });
    assert.equal(e.repo, 'widgets/core');
    assert.deepEqual(
      e.attempts.map((a) => [a.outcome, a.patch]),
      [
        ['failed', ''],
        ['passed', ''],
      ],
    );
    assert.deepEqual(e.files, ['widgets/size.py', 'notes.txt']);
  });

  it('calls a trajectory without a submission abandoned, whatever its runs said', async () => {
    await importPath(join(DIR, 'acme__ledger-102.traj'));
    const e = (await allEpisodes(store)).get('acme__ledger-102');
    assert.deepEqual([e?.outcome, e?.finalPatch, e?.attempts.map((a) => a.outcome)], ['abandoned', '', ['failed']]);
  });

  it('takes the real outcome from evaluation results of the same patch, as a last attempt', async () => {
    const r = await importPath(DIR, RESULTS);
    assert.deepEqual(
      r.sideErrors.map((p) => p.line),
      [4],
      'the malformed results line is reported',
    );
    const eps = await allEpisodes(store);
    const e = eps.get('acme__ledger-101');
    assert.ok(e);
    assert.equal(e.outcome, 'failed', "the agent's script passed, but SWE-bench says the submission did not resolve the issue");
    const last = e.attempts.at(-1);
    assert.deepEqual(
      [last?.command, last?.outcome, last?.by, last?.patch === e.finalPatch],
      ['SWE-bench evaluation', 'failed', 'swe-agent/demo', true],
    );
    assert.equal(eps.get('widgets__core-7')?.outcome, 'resolved');
    assert.equal(eps.get('acme__ledger-102')?.outcome, 'abandoned');
    assert.equal(eps.get('acme__ledger-102')?.attempts.length, 1, 'nothing submitted, nothing evaluated');
  });

  it('re-imports as updates, and a changed trajectory of the same instance is a separate run', async () => {
    await importPath(DIR);
    const again = await importPath(DIR);
    assert.deepEqual(again.episodes, { inserted: 0, updated: 3 });
    assert.equal(await store.count('episodes'), 3);
    const other = traj('acme__ledger-101');
    other.info.submission = other.info.submission.replace('if txs else 0', 'if len(txs) else 0');
    mkdirSync(join(tmp.path, 'run2'));
    writeFileSync(join(tmp.path, 'run2', 'acme__ledger-101.traj'), JSON.stringify(other));
    assert.deepEqual((await importPath(join(tmp.path, 'run2'))).episodes, { inserted: 1, updated: 0 });
    assert.equal((await findRecords(store, ['acme__ledger-101'])).episodes.length, 2);
  });
});
