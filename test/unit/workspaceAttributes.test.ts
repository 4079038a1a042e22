// A repository's own marks decide first (src/core/workspace/linguistMarks.ts): files its
// .gitattributes marks `linguist-vendored`, `linguist-generated` or `linguist-documentation` stay out
// of the checkout's index, a kind marked `=false` (or unset) is not held against a file even where
// ownCode.ts's rules would say so, and a kind the marks say nothing of follows the rules.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localize, rankFiles } from '../../src/core/workspace/codeIndex';
import { linguistMarks } from '../../src/core/workspace/linguistMarks';
import { notOwnCode, type KindMarks } from '../../src/core/workspace/ownCode';
import { clearCodeIndexCache, readCode } from '../../src/core/workspace/workspaceCode';
import { Rng } from '../fixtures/redact/rng';
import { useTempDir } from '../helpers/tmp';
import { checkout, git } from '../helpers/shopCheckout';

/** Each mark as written in .gitattributes, and what it says kind by kind (an empty object: the rules decide). */
const MARKS: [string, KindMarks][] = [
  ['', {}],
  ['linguist-vendored', { vendored: true }],
  ['linguist-vendored=true', { vendored: true }],
  ['linguist-generated', { generated: true }],
  ['linguist-generated=true', { generated: true }],
  ['linguist-documentation', { documentation: true }],
  ['-linguist-vendored', { vendored: false }],
  ['linguist-vendored=false', { vendored: false }],
  ['linguist-generated=false', { generated: false }],
  ['linguist-documentation=false', { documentation: false }],
  ['-linguist-vendored -linguist-documentation', { vendored: false, documentation: false }],
  ['!linguist-vendored', {}],
  ['linguist-vendored=maybe', {}],
  ['linguist-language=Python', {}],
];
const DIRS = [
  'shop/gen',
  'shop/legacy',
  'extern/acme',
  'vendor/lib',
  'third_party',
  'src/core',
  'shop/static',
  'docs/api',
  'examples',
  'vendor/docs',
];

function addFiles(repo: string, files: Record<string, string>, attributes: string): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  }
  writeFileSync(join(repo, '.gitattributes'), attributes);
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'marked files');
}

const BASE = 44; // the shop checkout's source files (helpers/shopCheckout.ts)

describe("workspace: the repository's linguist marks decide which files are its own code", function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  for (const seed of [1, 2, 3, 4])
    it(`seed ${seed}: 30 files with random marks: marked ones out, unmarked (=false, -) ones in, the rest by the rules`, async () => {
      const rng = new Rng(seed);
      const repo = checkout(join(tmp.path, `s${seed}`));
      const files: Record<string, string> = {};
      const lines = ['*.png binary', '[attr]made linguist-generated=true'];
      const expected = new Set<string>();
      for (let i = 0; i < 30; i++) {
        const path = `${rng.pick(DIRS)}/${rng.from('abcdefghij', 6)}_${i}.${rng.pick(['py', 'js', 'go'])}`;
        files[path] = `def marked_name_${i}():\n    pass\n`;
        const [mark, kinds] = rng.pick(MARKS);
        if (mark) lines.push(`${path} ${mark}`);
        if (!notOwnCode(path, kinds)) expected.add(path);
      }
      // A macro the repository defines, on a pattern: its files are generated.
      files['shop/made/parser_gen.py'] = 'def made_by_a_tool():\n    pass\n';
      lines.push('shop/made/*.py made');
      addFiles(repo, files, `${lines.join('\n')}\n`);
      const { index, read } = await readCode(repo);
      const extra = index.files.filter((f) => !f.startsWith('shop/module') && !/^shop\/(cart|billing\/)/.test(f));
      assert.deepEqual(extra.sort(), [...expected].sort());
      assert.equal(read, BASE + expected.size);
    });

  it('paths with spaces, a newline and non-ASCII letters are read back from git exactly (-z)', async () => {
    const repo = checkout(tmp.path);
    const odd = ['odd/with space.py', 'odd/new\nline.py', 'odd/naïve_ünïcode.py', 'kept/with space.py', 'kept/naïve.py'];
    addFiles(repo, Object.fromEntries(odd.map((p, i) => [p, `def odd_name_${i}():\n    pass\n`])), 'odd/* linguist-vendored\n');
    const { index } = await readCode(repo);
    for (const p of odd) assert.equal(index.files.includes(p), p.startsWith('kept/'), JSON.stringify(p));
  });

  it('a .gitattributes that says nothing of linguist is not asked about; outside a checkout the marks are empty, not an error', async () => {
    const repo = checkout(tmp.path);
    addFiles(repo, { 'extern/acme/client.py': 'def acme_client():\n    pass\n' }, '*.py text eol=lf\n');
    const listed = git(repo, 'ls-files').split('\n').filter(Boolean);
    assert.equal((await linguistMarks(repo, listed, listed)).marks.size, 0);
    // The rules alone then: extern/ is left out.
    assert.ok(!(await readCode(repo)).index.files.includes('extern/acme/client.py'));
    const plain = join(tmp.path, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, '.gitattributes'), 'x.py linguist-vendored\n');
    assert.equal((await linguistMarks(plain, ['.gitattributes', 'x.py'], ['x.py'])).marks.size, 0);
  });

  it('an oversized .gitattributes is still honoured; a symbolic link named .gitattributes is not read', async () => {
    const repo = checkout(tmp.path);
    const filler = '# padding line for a very large attributes file\n'.repeat(6_000);
    addFiles(repo, { 'shop/gen/big.py': 'def big_generated():\n    pass\n' }, `${filler}shop/gen/* linguist-generated\n`);
    assert.ok(!(await readCode(repo)).index.files.includes('shop/gen/big.py'));
    const other = checkout(join(tmp.path, 'other'));
    writeFileSync(join(tmp.path, 'outside-attributes'), 'shop/cart.py linguist-vendored\n');
    mkdirSync(join(other, 'sub'));
    symlinkSync(join(tmp.path, 'outside-attributes'), join(other, 'sub', '.gitattributes'));
    git(other, 'add', '.');
    git(other, 'commit', '-qm', 'link');
    const listed = git(other, 'ls-files').split('\n').filter(Boolean);
    assert.ok(listed.includes('sub/.gitattributes'));
    assert.equal((await linguistMarks(other, listed, listed)).marks.size, 0);
  });

  it('a project keeping its own code in extern/ marks it =false, and it ranks first for an issue about it', async () => {
    const repo = checkout(tmp.path);
    addFiles(
      repo,
      { 'extern/payments/gateway.py': 'def capture_preauthorized_charge(order):\n    pass\n' },
      'extern/** linguist-vendored=false\n',
    );
    const { index } = await readCode(repo);
    assert.ok(index.files.includes('extern/payments/gateway.py'));
    const { rankOf } = rankFiles(localize(index, 'capture_preauthorized_charge fails for a zero-amount order'));
    assert.equal(rankOf.get('extern/payments/gateway.py'), 1);
  });
});
