// The Share preview text from real plans (core planShare over real LanceDB stores): what is
// written is the re-redacted record, the local secret never appears, each differing top-level field
// is marked, unchanged/skipped/not-found ones are listed but not written; and the origin words
// cards, chat and tool results use.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ExperienceStore } from '../../src/core/store';
import { planShare } from '../../src/core/team';
import { describeOrigin } from '../../src/core/model/origin';
import { silentLogger } from '../../src/core/util/logger';
import { DIFF_MARK, renderSharePreview } from '../../src/vscode/team/sharePreview';
import { idsFrom } from '../../src/vscode/team/shareIds';
import { makeEpisode } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

describe('Share preview', function () {
  this.timeout(120_000);
  const tmp = useTempDir();

  it('shows what a real plan writes, with provenance, not-found ids listed, each block valid JSON', async () => {
    const local = await ExperienceStore.open(`${tmp.path}/local`, { mode: 'write', log: silentLogger });
    const team = await ExperienceStore.open(`${tmp.path}/team`, { mode: 'write', log: silentLogger });
    try {
      const id = `ep-${randomBytes(3).toString('hex')}`;
      await local.upsertEpisodes([
        makeEpisode({ id, issue: { title: 'Token leaks into logs', body: 'See run output.' } }),
        makeEpisode({ id: `${id}-b`, issue: { title: 'Plain one', body: 'nothing secret' } }),
      ]);
      const plan = await planShare(
        local,
        team,
        { ids: [id, `${id}-b`, 'no-such-id'] },
        { by: 'Ann <ann@example.com>', repo: 'github.com/acme/x', now: () => '2026-12-06T00:00:00.000Z' },
      );
      const text = renderSharePreview(plan, 'Share with team store az://team/mem', ['as Ann <ann@example.com>, from github.com/acme/x']);
      assert.match(text, /^\/\/ Dejafix — Share with team store az:\/\/team\/mem\n/);
      assert.match(text, /\/\/ 2 record\(s\) to write, 0 already up to date, 0 skipped, 1 not found\./);
      assert.match(text, /\/\/ not found: no-such-id/);
      assert.match(text, new RegExp(`// ── episode ${id} \\[new\\]: Token leaks into logs`));
      assert.match(text, /"sharedBy": "Ann <ann@example.com>"/);
      assert.match(text, /"sharedAt": "2026-12-06T00:00:00.000Z"/);
      for (const block of text.split(/\n\/\/ ── .*\n/).slice(1)) {
        const json = block
          .split('\n')
          .filter((l) => !l.trim().startsWith('//'))
          .join('\n')
          .trim();
        assert.doesNotThrow(() => JSON.parse(json), json.slice(0, 200));
      }
    } finally {
      local.close();
      team.close();
    }
  });

  it('marks each top-level field that differs from the local copy, and only those', () => {
    const rec = makeEpisode({ id: 'ep-d', issue: { title: 'T', body: 'token [REDACTED:github-token]' } });
    const text = renderSharePreview(
      {
        items: [
          {
            kind: 'episode',
            id: 'ep-d',
            title: 'T',
            record: rec,
            status: 'update',
            differences: ['issue', 'finalPatch'],
            notes: ['issue.body: 1 secret redacted'],
          },
        ],
        notFound: [],
        skipped: [],
      },
      'T',
    );
    const lines = text.split('\n');
    const marks = lines.flatMap((l, i) => (l.trim().startsWith(`${DIFF_MARK} (`) ? [[l.trim(), lines[i + 1].trim().split(':')[0]]] : []));
    assert.deepEqual(marks, [
      [`${DIFF_MARK} (finalPatch)`, '"finalPatch"'],
      [`${DIFF_MARK} (issue)`, '"issue"'],
    ]);
    assert.match(text, /\/\/ differs from your local copy in: issue, finalPatch/);
    assert.match(text, /\/\/ issue\.body: 1 secret redacted/);
  });

  it('lists up-to-date and skipped records without writing them', () => {
    const rec = makeEpisode({ id: 'ep-u' });
    const text = renderSharePreview(
      {
        items: [{ kind: 'episode', id: 'ep-u', title: 'Up to date', record: rec, status: 'unchanged', differences: [], notes: [] }],
        notFound: [],
        skipped: [{ id: 'ep-t', reason: 'already shared (teammate, by Bea)' }],
      },
      'T',
    );
    assert.match(text, /0 record\(s\) to write, 1 already up to date, 1 skipped/);
    assert.match(text, /\/\/ unchanged \(not written\): episode ep-u: Up to date/);
    assert.match(text, /\/\/ skipped ep-t: already shared \(teammate, by Bea\)/);
    assert.ok(!text.includes('"id": "ep-u"'), 'an unchanged record is not shown as written');
  });

  it('takes ids from every command argument shape, and nothing else', () => {
    assert.deepEqual(idsFrom('ep-1'), ['ep-1']);
    assert.deepEqual(idsFrom(['a', 3, '', 'b']), ['a', 'b']);
    assert.deepEqual(idsFrom({ ids: ['x'] }), ['x']);
    assert.deepEqual(idsFrom({ episodeId: 'e' }), ['e']);
    assert.deepEqual(idsFrom({ insightId: 'i' }), ['i']);
    for (const bad of [undefined, null, 5, {}, { ids: 'x' }, 'x'.repeat(300)]) assert.ok(!idsFrom(bad)?.length, String(bad));
  });

  it('says where a memory came from', () => {
    assert.equal(describeOrigin({}), 'you');
    assert.equal(describeOrigin({ source: 'import:swebench' }), 'import');
    assert.equal(
      describeOrigin({ provenance: { origin: 'teammate', sharedBy: 'Bea <b@x>', sharedAt: '2026-12-01T10:00:00.000Z' } }),
      'teammate Bea <b@x> (2026-12-01)',
    );
    assert.equal(describeOrigin({ provenance: { origin: 'repository', sharedBy: 'C' } }), 'repository C');
  });
});
