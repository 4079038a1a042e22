// What a new user auditing the CLI against README.md ran into: each case failed before its fix.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ExperienceStore } from '../../src/core/store';
import { assertOneLine, runCli } from '../helpers/cli';
import { useTempDir } from '../helpers/tmp';

const ROOT = join(__dirname, '../..');
const FIX = join(ROOT, 'test/fixtures');

describe('CLI as README.md describes it (new-user audit)', () => {
  const tmp = useTempDir();
  const store = () => join(tmp.path, 'store');
  const importMini = async () => {
    const r = await runCli(['import', '--store', store(), '--format', 'swebench', '--embedder', 'none', join(FIX, 'swebench-mini.jsonl')]);
    assert.equal(r.code, 0, r.stderr);
  };

  it('recall --batch with a missing file or a folder: exit 2 and one line, not "unexpected error" (70)', async () => {
    await importMini();
    const missing = await runCli(['recall', '--store', store(), '--embedder', 'none', '--json', '--batch', join(tmp.path, 'nope.jsonl')]);
    assertOneLine(missing, 2, /^dejafix: --batch .*nope\.jsonl: no such file$/);
    const folder = await runCli(['recall', '--store', store(), '--embedder', 'none', '--json', '--batch', tmp.path]);
    assertOneLine(folder, 2, /^dejafix: --batch .*: not a file$/);
    assert.equal(missing.stdout + folder.stdout, '');
  });

  it('import of a file that does not exist creates no store', async () => {
    const r = await runCli(['import', '--store', store(), '--embedder', 'none', join(tmp.path, 'typo.jsonl')]);
    assertOneLine(r, 2, /typo\.jsonl: no such file$/);
    assert.equal(existsSync(store()), false, 'a mistyped file name left an empty store behind');
    const d = await runCli(['import', '--store', store(), '--format', 'sweagent-traj', '--embedder', 'none', join(tmp.path, 'nothing')]);
    assertOneLine(d, 2, /nothing: no such file or folder$/);
    assert.equal(existsSync(store()), false);
    const s = await runCli(['stats', '--store', store()]);
    assert.equal(s.code, 3, 'read commands still find no store');
  });

  it('forget --dry-run --json prints what would be forgotten as JSON on stdout and forgets nothing', async () => {
    await importMini();
    const r = await runCli(['forget', '--store', store(), '--dry-run', '--json', 'acme__webkit-7', 'no-such-id']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.dryRun, true);
    assert.deepEqual(out.wouldForget, { episodes: 1, insights: 0 });
    assert.deepEqual(out.notFound, ['no-such-id']);
    assert.equal(out.ids.length, 1);
    assert.equal(JSON.parse((await runCli(['stats', '--store', store(), '--json'])).stdout).episodes, 3);
  });

  it('a team store that is missing or not a folder is named as --team, not --store', async () => {
    await importMini();
    const missing = join(tmp.path, 'no-team');
    const sync = await runCli(['sync', '--store', store(), '--embedder', 'none', '--team', missing, '--as', 'A <a@example.com>']);
    assertOneLine(sync, 3, /^dejafix: team store: No Dejafix store at .*no-team; check --team/);
    const file = join(tmp.path, 'team-file');
    writeFileSync(file, 'x');
    const share = await runCli(['share', 'acme__webkit-7', '--store', store(), '--team', file, '--yes', '--as', 'A <a@example.com>']);
    assert.equal(share.code, 3, share.stderr);
    assert.match(share.stderr, /^dejafix: team store: .*team-file is not a folder; check --team/m);
    assert.doesNotMatch(share.stderr + sync.stderr, /--store/);
    const forget = await runCli(['team', 'forget', 'x', '--team', missing, '--yes']);
    assertOneLine(forget, 3, /check --team/);
  });

  it("README's compose example prints exactly the prompt the README shows", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const cmd = /```sh\nnpx dejafix compose (--store \/tmp\/dejafix-demo [^\n]*)\\\n\s+([^\n]*)\n```/.exec(readme);
    assert.ok(cmd, 'the compose example is in README.md');
    const shown = /`````markdown\n([\s\S]*?)\n`````/.exec(readme);
    assert.ok(shown, 'its output is in README.md');
    const args = (cmd[1] + cmd[2]).match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"|"$/g, ''));
    const demo = join(tmp.path, 'demo');
    const imp = await runCli(['import', '--store', demo, '--embedder', 'none', join(ROOT, 'demo/memory.jsonl')]);
    assert.equal(imp.code, 0, imp.stderr);
    const r = await runCli(['compose', ...args.map((a) => (a === '/tmp/dejafix-demo' ? demo : a)), '--embedder', 'none'], {
      cwd: tmp.path,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trimEnd(), shown[1].trimEnd());
  });
  it('recall on an empty memory says the memory is empty, not that nothing reached the threshold', async () => {
    (await ExperienceStore.open(store())).close();
    for (const extra of [[], ['--min-relevance', '0']]) {
      const r = await runCli(['recall', '--store', store(), '--embedder', 'none', ...extra, 'Cart total is NaN']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'The memory holds no past repairs yet: import some (dejafix import) or record them as you work.\n');
    }
    await importMini();
    const some = await runCli(['recall', '--store', store(), '--embedder', 'none', 'zzz unrelated words qqq']);
    assert.doesNotMatch(some.stdout, /holds no past repairs/);
  });
  it('reflect --episode with an id that names no episode says so and exits 1, as forget does', async () => {
    await importMini();
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test-not-used', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
    const r = await runCli(['reflect', '--store', store(), '--embedder', 'none', '--episode', 'no-such-episode'], { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /no-such-episode: no such episode/);
  });
  it('a usage error (unknown option or command, missing argument) is one line with where to look, not the whole help', async () => {
    assertOneLine(await runCli(['recall', '--bogus', 'x']), 2, /^dejafix: unknown option '--bogus' \(see --help\)$/);
    assertOneLine(await runCli(['insights', 'approve']), 2, /^dejafix: missing required argument 'id' \(see --help\)$/);
    assertOneLine(await runCli(['nosuch']), 2, /^dejafix: unknown command 'nosuch' \(see --help\)$/);
    const help = await runCli(['recall', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: dejafix recall/);
  });
  it('recall --batch rejects a query with empty text on its line, as a single recall does; connect refuses a --folder that does not exist', async () => {
    await importMini();
    const batch = join(tmp.path, 'q.jsonl');
    writeFileSync(batch, `${JSON.stringify({ id: 'a', text: '  ' })}\n${JSON.stringify({ id: 'b', text: 'Cart total is NaN' })}\n`);
    const r = await runCli(['recall', '--store', store(), '--embedder', 'none', '--batch', batch]);
    assert.equal(r.code, 1, r.stderr);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; error?: string });
    assert.deepEqual(
      out.map((o) => [o.id, Boolean(o.error)]),
      [
        ['a', true],
        ['b', false],
      ],
    );
    assert.match(r.stderr, /q\.jsonl:1: text: empty/);
    const home = join(tmp.path, 'home');
    const typo = join(tmp.path, 'no-such-project');
    const c = await runCli(['connect', 'claude-code', '--folder', typo, '--yes'], { env: { HOME: home } });
    assertOneLine(c, 2, /^dejafix: --folder .*no-such-project: no such folder$/);
    assert.equal(existsSync(typo), false, 'no folder created');
  });
});
