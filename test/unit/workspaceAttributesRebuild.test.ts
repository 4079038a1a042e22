// A rebuild of a checkout's index (readCode with the last read) asks git for the linguist marks
// (linguistMarks.ts) only of paths new to them while the attribute files read the same, and asks
// again for every path when one changes: a committed .gitattributes, a line removed from it, the
// repository's own info/attributes. Whatever the sequence of changes, the rebuilt index holds exactly
// the files a read from scratch holds.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { linguistMarks } from '../../src/core/workspace/linguistMarks';
import { clearCodeIndexCache, readCode, type CodeRead } from '../../src/core/workspace/workspaceCode';
import { Rng } from '../fixtures/redact/rng';
import { useTempDir } from '../helpers/tmp';
import { checkout, git } from '../helpers/shopCheckout';

const DIRS = ['shop/gen', 'shop/legacy', 'extern/acme', 'vendor/lib', 'src/core', 'shop/static', 'docs'];
const MARKS = [
  'linguist-vendored',
  'linguist-generated=true',
  'linguist-documentation',
  'linguist-vendored=false',
  '-linguist-generated',
  'text',
];
type Step = 'add' | 'mark' | 'unmark' | 'info' | 'remove' | 'nothing';
const STEPS: Step[] = ['add', 'mark', 'nothing', 'add', 'info', 'unmark', 'remove', 'nothing', 'mark', 'add', 'info', 'nothing'];

describe('workspace: a rebuild asks git for the linguist marks of new paths only, and again after the marks change', function () {
  this.timeout(120_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  for (const seed of [1, 2, 3])
    it(`seed ${seed}: ${STEPS.length} random changes; after each the rebuilt index is the one read from scratch`, async () => {
      const rng = new Rng(seed);
      const repo = checkout(join(tmp.path, `s${seed}`));
      const added: string[] = [];
      const commit = (): void => {
        git(repo, 'add', '-A');
        git(repo, 'commit', '-qm', 'step', '--allow-empty');
      };
      const addFiles = (n: number): string[] => {
        const paths = Array.from({ length: n }, (_, i) => `${rng.pick(DIRS)}/${rng.from('abcdefgh', 5)}_${added.length + i}.py`);
        for (const p of paths) {
          mkdirSync(dirname(join(repo, p)), { recursive: true });
          writeFileSync(join(repo, p), `def name_in_${p.replace(/\W/g, '_')}():\n    pass\n`);
        }
        added.push(...paths);
        return paths;
      };
      // The repository starts with marks, so git is asked from the first read.
      addFiles(6);
      writeFileSync(join(repo, '.gitattributes'), `*.png binary\n${added[0]} linguist-generated\n`);
      commit();
      let last: CodeRead = await readCode(repo);
      assert.equal(last.marks.askedNow, last.marks.asked.size);
      for (const step of STEPS) {
        let expectAsked: number | undefined;
        if (step === 'add') {
          expectAsked = addFiles(rng.int(1, 4)).length;
          commit();
        } else if (step === 'mark') {
          appendFileSync(join(repo, '.gitattributes'), `${rng.pick([rng.pick(added), `${rng.pick(DIRS)}/*`])} ${rng.pick(MARKS)}\n`);
          commit();
        } else if (step === 'unmark') {
          const lines = readFileSync(join(repo, '.gitattributes'), 'utf8').split('\n').filter(Boolean);
          lines.splice(rng.int(1, lines.length - 1), 1);
          writeFileSync(join(repo, '.gitattributes'), `${lines.join('\n')}\n`);
          commit();
        } else if (step === 'info') {
          // Not committed: the repository's own attributes file, which outranks .gitattributes. It marks a file the index holds.
          const held = added.filter((p) => last.index.files.includes(p));
          assert.ok(held.length, 'a file of its own to mark');
          mkdirSync(join(repo, '.git', 'info'), { recursive: true });
          appendFileSync(join(repo, '.git', 'info', 'attributes'), `${rng.pick(held)} linguist-vendored\n`);
        } else if (step === 'remove') {
          git(repo, 'rm', '-q', added.splice(rng.int(0, added.length - 1), 1)[0]);
          commit();
          expectAsked = 0;
        } else expectAsked = 0;
        const rebuilt = await readCode(repo, last);
        const fresh = await readCode(repo);
        assert.deepEqual([...rebuilt.index.files].sort(), [...fresh.index.files].sort(), `after ${step}`);
        assert.deepEqual([...rebuilt.marks.marks].sort(), [...fresh.marks.marks].sort(), `after ${step}`);
        if (expectAsked !== undefined) assert.equal(rebuilt.marks.askedNow, expectAsked, `after ${step}`);
        else assert.equal(rebuilt.marks.askedNow, fresh.marks.asked.size, `after ${step}: every path asked again`);
        if (step === 'info' || step === 'mark') assert.notEqual(rebuilt.marks.key, last.marks.key);
        last = rebuilt;
      }
    });

  it('a checkout whose .gitattributes never mentions the marks asks git about nothing, before and after a change', async () => {
    const repo = checkout(tmp.path);
    writeFileSync(join(repo, '.gitattributes'), '*.py text eol=lf\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'attributes');
    const first = await readCode(repo);
    assert.equal(first.marks.askedNow, 0);
    assert.equal(first.marks.mentioned, false);
    writeFileSync(join(repo, 'shop', 'extra.py'), 'def extra_name():\n    pass\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'extra');
    const second = await readCode(repo, first);
    assert.equal(second.marks.askedNow, 0);
    assert.ok(second.index.files.includes('shop/extra.py'));
  });

  it('answers kept from the last read are for the paths still listed; a path dropped and listed again is asked again', async () => {
    const repo = checkout(tmp.path);
    writeFileSync(join(repo, '.gitattributes'), 'shop/gen/** linguist-generated\n');
    mkdirSync(join(repo, 'shop', 'gen'));
    writeFileSync(join(repo, 'shop', 'gen', 'parser.py'), 'def generated_parser():\n    pass\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'generated');
    const listed = git(repo, 'ls-files').split('\n').filter(Boolean);
    const all = await linguistMarks(repo, listed, listed);
    assert.deepEqual(all.marks.get('shop/gen/parser.py'), { generated: true });
    const fewer = await linguistMarks(repo, listed, ['shop/cart.py'], all);
    assert.equal(fewer.askedNow, 0);
    assert.equal(fewer.marks.size, 0);
    const again = await linguistMarks(repo, listed, ['shop/cart.py', 'shop/gen/parser.py'], { ...fewer, asked: new Set(['shop/cart.py']) });
    assert.equal(again.askedNow, 1);
    assert.deepEqual(again.marks.get('shop/gen/parser.py'), { generated: true });
  });
});
