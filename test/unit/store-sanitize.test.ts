// The store's write methods sanitise every string field of every record (issue 13 item 6): a
// secret in any field, including ids, repository, source, attempt `by`, insight scope, files and
// symbols, never reaches the tables, and repository remotes lose their credentials.
import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store/store';
import { normaliseRepo } from '../../src/core/store/sanitize';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';
import { storeBytes } from '../helpers/storeBytes';
import { useTempDir } from '../helpers/tmp';

describe('store boundary: every string field is sanitised', () => {
  const tmp = useTempDir();
  const gh = 'ghp_Zq8wX2pL9mN4bV7cR1tY6uI3oP0aS5dF8gH2';
  const gl = 'glpat-Rt5Yv1Nb4Hc6Gd0Fe9xQ';
  const pw = 'Tr0ub4dor-Zk93';
  const hf = 'hf_Ab3De5Gh7Jk9Mn1Pq3St5Vw7Yz9Bc1Df3H';
  const aws = 'AKIAQWERTYUIOPASDFGH';

  it('redacts ids, repo, source, sourceId, by, files, symbols, scope and evidence; strips colours', async () => {
    const store = await ExperienceStore.open(tmp.path);
    try {
      const episodeId = `ep-${aws}`;
      const episode = makeEpisode({
        id: episodeId,
        repo: `https://deploy:${pw}@github.com/Acme/App.git`,
        source: `agent:${hf}`,
        sourceId: `run-${gh}`,
        issue: { title: `Login fails with \u001b[31m${gl}\u001b[0m`, body: `token ${gh}`, url: `https://x:${pw}@issues.acme.io/1` },
        files: [`secrets/${gh}.txt`, 'app/x.py'],
        symbols: [`handler:${hf}`],
        attempts: [
          makeAttempt(episodeId, {
            id: `at-${hf}`,
            by: `bot ${gh}`,
            command: `mysql -u root -p${pw} app`,
            outputTail: `\u001b[33m${gl}\u001b[39m`,
          }),
        ],
      });
      const insight = makeInsight({
        id: `in-${gh}`,
        scope: `https://oauth2:${gl}@gitlab.com/acme/app.git`,
        text: `Use ${hf} never`,
        evidence: { episodes: [episodeId], files: [`cfg/${gh}`] },
        stale: `gone ${gl}`,
      });
      const r = await store.upsertEpisodes([episode]);
      assert.ok(r.notes.some((n) => /redacted/.test(n)));
      await store.upsertInsights([insight]);
      const all = [];
      for await (const batch of store.episodes()) all.push(...batch);
      const insights = await store.insights();
      assert.equal(all.length, 1);
      assert.equal(all[0].repo, 'github.com/Acme/App');
      assert.equal(insights[0].scope, 'gitlab.com/acme/app');
      assert.equal(all[0].attempts.length, 1, 'the attempt still belongs to the (redacted) episode id');
      const dump = JSON.stringify({ all, insights });
      for (const s of [gh, gl, pw, hf, aws]) assert.ok(!dump.includes(s), `read back: ${s}`);
      assert.ok(!dump.includes('\\u001b'), 'colour codes stored');
    } finally {
      store.close();
    }
    const bytes = storeBytes(tmp.path);
    for (const s of [gh, gl, pw, hf, aws]) {
      assert.ok(!bytes.includes(s), `on disk: ${s}`);
      assert.ok(!bytes.includes(Buffer.from(s).toString('base64')), `on disk (base64): ${s}`);
    }
  });

  it('normalises remotes to host/owner/name and keeps other repository names', () => {
    const cases: [string, string][] = [
      ['https://user:token123@github.com/o/r.git', 'github.com/o/r'],
      ['git@github.com:o/r.git', 'github.com/o/r'],
      ['ssh://git@host.io:22/a/b.git', 'host.io/a/b'],
      ['ci:s3cr3tT0ken@gitlab.com/g/p', 'gitlab.com/g/p'],
      ['github.com/acme/app', 'github.com/acme/app'],
      ['django/django', 'django/django'],
      ['invoices', 'invoices'],
    ];
    for (const [input, expected] of cases) assert.equal(normaliseRepo(input), expected, input);
  });
});
