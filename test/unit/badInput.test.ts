import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOneLine, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';

const FIX = join(__dirname, '../fixtures');
const isRoot = process.getuid?.() === 0;

const line = (kind: string, rec: object) => JSON.stringify({ kind, ...rec });

describe('bad input on the CLI', () => {
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');
  const file = (name: string, lines: string[]) => {
    const p = join(tmp.path, name);
    writeFileSync(p, `${lines.join('\n')}\n`);
    return p;
  };
  const exportAll = async () => {
    const r = await runCli(['export', '--store', store()]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  };

  it('import --format swebench-runs without --instances is a usage error, not a crash', async () => {
    for (const args of [[], ['--json'], ['--batch-size', '5']]) {
      const r = await runCli(['import', '--store', store(), '--format', 'swebench-runs', ...args, join(FIX, 'swebench-runs-mini.jsonl')]);
      assertOneLine(r, 2, /--format swebench-runs needs --instances FILE/);
    }
    assert.equal(existsSync(join(store(), 'episodes.lance')), false, 'nothing was written');
  });

  it('export --out to a missing folder, a folder or a path under a file: one line, exit 2, store kept', async () => {
    assert.equal(
      (await runCli(['import', '--store', store(), '--embedder', 'none', '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')])).code,
      0,
    );
    const aFile = file('plain.txt', ['x']);
    mkdirSync(join(tmp.path, 'folder'));
    const cases: [string, RegExp][] = [
      ['/no/such/dir/x.jsonl', /cannot write \/no\/such\/dir\/x\.jsonl: the folder \/no\/such\/dir does not exist/],
      [join(tmp.path, 'missing', 'deeper', 'out.jsonl'), /the folder .*missing\/deeper does not exist/],
      [tmp.path, /it is a folder; give a file name/],
      [join(tmp.path, 'folder'), /it is a folder/],
      [join(aFile, 'out.jsonl'), /plain\.txt is not a folder/],
    ];
    for (const [out, re] of cases) assertOneLine(await runCli(['export', '--store', store(), '--out', out]), 2, re);
    assert.equal((await exportAll()).length, 3);
    assert.deepEqual(
      readdirSync(tmp.path).filter((n) => n.endsWith('.tmp')),
      [],
    );
  });

  it('export --out writes a 0600 file, replaces a planted symlink instead of following it, leaves no temp file', async () => {
    assert.equal(
      (await runCli(['import', '--store', store(), '--embedder', 'none', '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')])).code,
      0,
    );
    const victim = join(tmp.path, 'victim.txt');
    writeFileSync(victim, 'precious');
    const out = join(tmp.path, 'out.jsonl');
    symlinkSync(victim, out);
    const r = await runCli(['export', '--store', store(), '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.equal(lstatSync(out).isSymbolicLink(), false);
    assert.equal(statSync(out).mode & 0o777, 0o600);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 3);
    assert.deepEqual(readdirSync(tmp.path).sort(), ['out.jsonl', 'store', 'victim.txt']);
  });

  it('rejects numbers the store cannot keep exactly, with FILE:LINE, and keeps the 32-bit limits exactly', async () => {
    const bad: [object, RegExp][] = [
      [{ attempts: [makeAttempt('ep-big1', { exitCode: 3000000000 })] }, /exitCode: must be at most 2147483647/],
      [{ attempts: [makeAttempt('ep-big2', { exitCode: -3000000000 })] }, /exitCode: must be at least -2147483648/],
      [{ attempts: [makeAttempt('ep-big3', { exitCode: 2 ** 31 })] }, /exitCode: must be at most/],
      [{ issue: { title: 't', body: 'b', number: 2 ** 40 } }, /issue\.number: must be at most 2147483647/],
      [{ issue: { title: 't', body: 'b', number: -1 } }, /issue\.number: must be 0 or more/],
      [{ issue: { title: 't', body: 'b', number: 1.5 } }, /issue\.number/],
    ];
    const lines = bad.map(([over], i) =>
      line(
        'episode',
        makeEpisode({
          id: `ep-big${i + 1}`,
          ...over,
          attempts: ((over as { attempts?: object[] }).attempts ?? []).map((a) => ({ ...a, episodeId: `ep-big${i + 1}` })),
        } as never),
      ),
    );
    const edge = makeEpisode({
      id: 'ep-edge',
      issue: { title: 'edge', body: 'b', number: 2147483647 },
      attempts: [
        makeAttempt('ep-edge', { id: 'a-max', exitCode: 2147483647 }),
        makeAttempt('ep-edge', { id: 'a-min', exitCode: -2147483648 }),
      ],
    });
    const f = file('numbers.jsonl', [...lines, line('episode', edge)]);
    const r = await runCli(['import', '--store', store(), '--embedder', 'none', f]);
    assert.equal(r.code, 1, r.stderr);
    bad.forEach(([, re], i) => assert.match(r.stderr, new RegExp(`${f.replace(/[/.]/g, '\\$&')}:${i + 1}: .*${re.source}`)));
    const [back] = await exportAll();
    assert.equal(back.id, 'ep-edge');
    assert.equal(back.issue.number, 2147483647);
    assert.deepEqual(back.attempts.map((a: { exitCode: number }) => a.exitCode).sort(), [-2147483648, 2147483647]);
  });

  it('rejects an attempt id claimed by a second episode, in one batch or across batches', async () => {
    for (const batch of ['1000', '1']) {
      const dir = join(tmp.path, `s${batch}`);
      const e1 = makeEpisode({ id: 'ep-one', attempts: [makeAttempt('ep-one', { id: 'shared-attempt' })] });
      const e2 = makeEpisode({
        id: 'ep-two',
        attempts: [makeAttempt('ep-two', { id: 'shared-attempt' }), makeAttempt('ep-two', { id: 'own-attempt' })],
      });
      const twice = makeEpisode({
        id: 'ep-twice',
        attempts: [makeAttempt('ep-twice', { id: 'dup' }), makeAttempt('ep-twice', { id: 'dup' })],
      });
      const f = file(`dups${batch}.jsonl`, [line('episode', e1), line('episode', e2), line('episode', twice), line('episode', e1)]);
      const r = await runCli(['import', '--store', dir, '--embedder', 'none', '--batch-size', batch, f]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(`dups${batch}\\.jsonl:2: attempt id shared-attempt already belongs to episode ep-one \\(line 1\\)`),
      );
      assert.match(r.stderr, new RegExp(`dups${batch}\\.jsonl:3: attempt id dup appears twice in episode ep-twice`));
      const s = JSON.parse((await runCli(['stats', '--store', dir, '--json'])).stdout);
      assert.equal(s.episodes, 1, 'the same episode twice is one row');
      assert.equal(s.attempts, 1, 'one row per attempt id');
    }
  });

  it('rejects control characters in every kind of id', async () => {
    const ids = ['nul\u0000id', 'new\nline', 'esc\u001b[31m', 'del\u007f', 'c1\u0085', 'tab\there'];
    const lines = ids.flatMap((id) => [
      line('episode', makeEpisode({ id })),
      line('episode', makeEpisode({ id: `ok-${ids.indexOf(id)}`, attempts: [makeAttempt(`ok-${ids.indexOf(id)}`, { id })] })),
      line('insight', makeInsight({ id })),
    ]);
    const f = file('ids.jsonl', [...lines, line('insight', makeInsight({ id: 'fine-id' }))]);
    const r = await runCli(['import', '--store', store(), '--embedder', 'none', f]);
    assert.equal(r.code, 1, r.stderr);
    for (let i = 1; i <= lines.length; i++) assert.match(r.stderr, new RegExp(`ids\\.jsonl:${i}: .*must not contain control characters`));
    const s = JSON.parse((await runCli(['stats', '--store', store(), '--json'])).stdout);
    assert.deepEqual([s.episodes, s.attempts, s.insights], [0, 0, 1]);
  });

  it('says what to do when the store folder (or a table in it) may not be read', async function () {
    assert.equal(
      (await runCli(['import', '--store', store(), '--embedder', 'none', '--format', 'swebench', join(FIX, 'swebench-mini.jsonl')])).code,
      0,
    );
    // Root reads through any mode: run the CLI as nobody, owning nothing in the store.
    const asUser = isRoot ? { uid: 65534, gid: 65534 } : {};
    chmodSync(tmp.path, 0o755);
    for (const target of [store(), join(store(), 'episodes.lance'), join(store(), 'episodes.lance', 'data')]) {
      chmodSync(target, 0o000);
      for (const cmd of [['stats'], ['export'], ['recall', '--embedder', 'none', 'widgets']]) {
        const r = await runCli([...cmd, '--store', store()], asUser);
        assertOneLine(r, 3, new RegExp(`cannot read the store at ${store()}: permission denied.*chmod -R u\\+rwX ${store()}`));
      }
      chmodSync(target, 0o755);
    }
    assert.equal((await exportAll()).length, 3, 'nothing was lost');
  });
});
