// The repository's own code as relevance evidence (src/core/workspace): the names each source file
// defines, and which files an issue is about, ranked over the whole code base. Seeded synthetic
// repositories give many fresh variants of each case; hostile text and files stay linear.
import assert from 'node:assert/strict';
import { definedNames, isSourcePath } from '../../src/core/workspace/definitions';
import { codeIndexOf, localize, MAX_CONTENT_WORDS, rankFiles, workspaceRank, type IndexedFile } from '../../src/core/workspace/codeIndex';
import { MAX_FILE_WORDS, wordCounts } from '../../src/core/workspace/fileWords';
import { Rng } from '../fixtures/redact/rng';

describe('workspace: the names a source file defines', () => {
  const cases: [string, string, string[]][] = [
    [
      'm.py',
      'class QuerySet:\n    def union(self, *qs):\n        pass\nasync def fetch_all():\n    x = 1\n',
      ['QuerySet', 'union', 'fetch_all'],
    ],
    [
      'a.ts',
      'export function parseConfig(s: string) {}\nexport default class Loader {}\nexport const makeStore = async (x) => x;\ninterface Options {}\ntype Mode = 1;\nclass A {\n  private async resolveRedirects(req: Req): Promise<void> {\n  }\n}\n',
      ['parseConfig', 'Loader', 'makeStore', 'Options', 'Mode', 'A', 'resolveRedirects'],
    ],
    [
      'x.go',
      'package x\nfunc (s *Server) ServeHTTP(w W, r *R) {}\nfunc NewServer() *Server {}\ntype Server struct{}\n',
      ['ServeHTTP', 'NewServer', 'Server'],
    ],
    [
      'lib.rs',
      'pub fn parse_args() {}\npub(crate) struct Args;\nimpl Args { fn len(&self) {} }\ntrait Run {}\n',
      ['parse_args', 'Args', 'Run'],
    ],
    ['m.rb', 'module Billing\n  class Invoice\n    def self.total_for(x)\n    end\n  end\nend\n', ['Billing', 'Invoice', 'total_for']],
    [
      'S.java',
      'public class InvoiceService {\n  public static List<Invoice> findOverdue(Date d) {\n  }\n}\n',
      ['InvoiceService', 'findOverdue'],
    ],
    ['c.php', '<?php\nfinal class Cart {\n  public function addItem($x) {}\n}\nfunction &ref_of() {}\n', ['Cart', 'addItem', 'ref_of']],
    ['u.c', 'static int parse_header(const char *buf, size_t n)\n{\n}\nstruct packet {\n', ['parse_header', 'packet']],
  ];
  for (const [path, text, names] of cases)
    it(`${path}: ${names.join(', ')}`, () => {
      assert.ok(isSourcePath(path));
      assert.deepEqual(definedNames(path, text), names);
    });

  it('calls, control flow, prose and files of other kinds define nothing', () => {
    assert.deepEqual(definedNames('a.js', '  if (x) {\n  }\n  for (;;) {\n  }\n  return f(x);\n'), []);
    assert.deepEqual(definedNames('a.py', 'print("def not_a_def():")\n# class Nope\n'), []);
    assert.deepEqual(definedNames('README.md', 'def looks_like_python():\n'), []);
    assert.equal(isSourcePath('data.json'), false);
    assert.equal(isSourcePath('Makefile'), false);
  });

  it('a minified line (over 2,000 characters) is skipped, the lines after it are read', () => {
    const text = `function ${'a'.repeat(10)}(){${'x;'.repeat(2_000)}}\nfunction readable() {}\n`;
    assert.deepEqual(definedNames('bundle.js', text), ['readable']);
  });

  const hostile: [string, string, string][] = [
    ['16,000 nested parentheses', 'a.ts', `  f${'('.repeat(16_000)}`],
    ['a run of modifiers', 'S.java', `${'public '.repeat(30_000)}x(`],
    ['a C declarator of stars', 'u.c', `int ${'*'.repeat(250_000)}`],
    ['a line of spaces', 'a.py', ' '.repeat(256_000)],
    ['256,000 short lines', 'a.py', 'def f():\n'.repeat(28_000)],
    ['type words without a name', 'a.cs', `${'static '.repeat(300)}${'List<'.repeat(10_000)}`],
  ];
  for (const [what, path, text] of hostile)
    it(`hostile file, ${what}: bounded and linear`, () => {
      // A regression to backtracking shows as this test running into mocha's timeout, not as a slower pass.
      const names = definedNames(path, text);
      const doubled = definedNames(path, text + '\n' + text);
      assert.ok(names.length <= 1 && doubled.length <= 1, `${names.length} names`);
    });
});

/** A synthetic repository: `files` modules, each defining a few random names; a few share common names. */
function synthRepo(seed: number, files = 300): { files: IndexedFile[]; rng: Rng } {
  const rng = new Rng(seed);
  const word = () => rng.from('abcdefghijklmnopqrstuvwxyz', rng.int(4, 9));
  const out: IndexedFile[] = [];
  for (let i = 0; i < files; i++) {
    const dir = rng.pick(['core', 'io', 'db/models', 'db/backends', 'utils', 'cli', 'server/http']);
    const names = Array.from({ length: rng.int(3, 12) }, () => `${word()}_${word()}`);
    names.push(rng.pick(['save', 'load', 'render', '__init__', 'get_value']));
    out.push({ path: `pkg/${dir}/${word()}${i}.py`, names });
  }
  out.push({ path: 'pkg/tests/test_everything.py', names: out.flatMap((f) => f.names).slice(0, 200) });
  return { files: out, rng };
}

describe('workspace: which files an issue is about', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8])
    it(`seed ${seed}: the file defining the rare names an issue writes ranks first; test files are never ranked`, () => {
      const { files, rng } = synthRepo(seed);
      const index = codeIndexOf(files);
      assert.ok(!index.files.some((f) => f.includes('/tests/')));
      for (let draw = 0; draw < 5; draw++) {
        const target = rng.pick(files.slice(0, -1));
        const named = target.names.slice(0, 2);
        const text = `Calling \`${named[0]}()\` after ${named[1]} raises KeyError.\nWe save and load and render the value.`;
        const scores = localize(index, text);
        const ranked = rankFiles(scores);
        assert.equal(ranked.rankOf.get(target.path), 1, `${target.path} for ${named.join(', ')}`);
        const r = workspaceRank([target.path, 'pkg/elsewhere.py'], scores, ranked);
        assert.equal(r.rank, 1);
        assert.equal(r.share, 1);
        // A repair whose file the issue says nothing about: no rank at all.
        const other = files.find((f) => !f.names.some((n) => text.includes(n)) && !scores.has(f.path))!;
        assert.deepEqual(workspaceRank([other.path], scores, ranked), { rank: 0, score: 0, share: 0 });
      }
    });

  for (const [what, text] of [
    ['a traceback into an installed copy', 'Traceback:\n  File "/venv/lib/python3.11/site-packages/pkg/io/reader7.py", line 3, in f\n'],
    ['a dotted module name', 'pkg.io.reader7.Reader breaks on empty input'],
    ['an import line', 'from pkg.io import reader7\n'],
    ['the path itself', 'The bug is in pkg/io/reader7.py around line 40.'],
    ['the last two parts of its path', 'see io/reader7.py'],
  ] as const)
    it(`${what} points at the file even when it defines nothing the issue names`, () => {
      const { files } = synthRepo(11);
      const index = codeIndexOf([...files, { path: 'pkg/io/reader7.py', names: ['zzz_unrelated'] }]);
      const ranked = rankFiles(localize(index, text));
      assert.equal(ranked.rankOf.get('pkg/io/reader7.py'), 1, text);
    });

  it('English words and names defined everywhere count for little; a name of three letters or fewer not at all', () => {
    const index = codeIndexOf([
      { path: 'a/one.py', names: ['save', 'add', 'render_invoice_total'] },
      ...Array.from({ length: 50 }, (_, i) => ({ path: `b/m${i}.py`, names: ['save', 'add'] })),
    ]);
    const scores = localize(index, 'Please add a way to save; render_invoice_total is wrong.');
    assert.equal(rankFiles(scores).rankOf.get('a/one.py'), 1);
    const rare = scores.get('a/one.py')!;
    const common = localize(index, 'Please add a way to save.').get('a/one.py') ?? 0;
    assert.ok(common < 1 && common * 4 < rare - common, `common ${common}, with a rare name ${rare}`);
    assert.equal(localize(index, 'add').size, 0, 'a lower-case name of three letters is a word, not a name');
  });

  it('an issue with no code words, and an empty repository, rank nothing', () => {
    assert.equal(localize(codeIndexOf(synthRepo(3).files), 'It is slow sometimes.').size, 0);
    assert.equal(localize(codeIndexOf([]), 'QuerySet.union fails').size, 0);
  });

  const hostileIssues: [string, string][] = [
    ['16,000 distinct identifiers', Array.from({ length: 16_000 }, (_, i) => `name_${i}`).join(' ')],
    ['8,000 path segments', 'pkg/'.repeat(8_000) + 'x.py'],
    ['one 8,000-part dotted name', 'pkg.'.repeat(8_000)],
    ['thousands of imports', 'from pkg.io import a, b, c\n'.repeat(700)],
    ['16,000 newlines', '\n'.repeat(16_000)],
  ];
  for (const [what, text] of hostileIssues)
    it(`hostile issue, ${what}: scores only files that exist, and stays proportional to the issue`, () => {
      const { files } = synthRepo(5, 2_000);
      const index = codeIndexOf(files);
      const scores = localize(index, text);
      for (const f of scores.keys()) assert.ok(index.files.includes(f), f);
      assert.ok(scores.size <= index.files.length);
    });
});

describe('workspace: the identifiers a file uses (the content half of localizing an issue)', () => {
  it('counts identifier-like words; English words of three letters or fewer, and minified lines, do not count', () => {
    const counts = wordCounts('def f(x):\n    return settings.SAVE_PATH or settings.SAVE_PATH + x.the_end\n' + `${'q'.repeat(3_000)}\n`);
    assert.equal(counts.get('settings'), 2);
    assert.equal(counts.get('SAVE_PATH'), 2);
    assert.equal(counts.get('the_end'), 1);
    assert.equal(counts.get('return'), 1);
    for (const w of ['def', 'the', 'x', 'f', 'q'.repeat(3_000)]) assert.equal(counts.has(w), false, w);
  });

  it('keeps at most MAX_FILE_WORDS distinct words of a huge generated file, and stays linear on hostile text', () => {
    const many = Array.from({ length: MAX_FILE_WORDS * 2 }, (_, i) => `w${i}_x`).join('\n');
    assert.equal(wordCounts(many).size, MAX_FILE_WORDS);
    for (const text of ['_'.repeat(1_999) + '\n', 'a'.repeat(256_000), 'ab '.repeat(80_000), '\n'.repeat(256_000)]) {
      // A run of one character is at most two distinct words (121-character pieces and the rest).
      const n = wordCounts(text).size;
      assert.ok(n <= 2, `${n} words`);
    }
  });

  /** A synthetic repository whose files also USE names: each file uses a few names defined elsewhere. */
  function usingRepo(seed: number): { files: IndexedFile[]; rng: Rng } {
    const { files, rng } = synthRepo(seed);
    const all = files.flatMap((f) => f.names);
    return {
      rng,
      files: files.map((f) => ({
        ...f,
        words: new Map([...f.names, ...Array.from({ length: 6 }, () => rng.pick(all))].map((w) => [w, rng.int(1, 4)])),
      })),
    };
  }

  for (const seed of [21, 22, 23, 24, 25, 26])
    it(`seed ${seed}: the only file using the rare names an issue writes ranks first, though it defines none of them`, () => {
      const { files, rng } = usingRepo(seed);
      for (let draw = 0; draw < 5; draw++) {
        const user = rng.pick(files.slice(0, -1));
        const used = [`${rng.from('abcdefghij', 6)}_kwarg${draw}`, `SETTING_${rng.from('KLMNOP', 5)}`];
        const withUse = files.map((f) =>
          f === user ? { ...f, words: new Map([...f.words!, ...used.map((w): [string, number] => [w, 2])]) } : f,
        );
        const index = codeIndexOf(withUse);
        const text = `Passing ${used[0]}= with ${used[1]} set has no effect.`;
        const ranked = rankFiles(localize(index, text));
        assert.equal(ranked.rankOf.get(user.path), 1, `${user.path} for ${used.join(', ')}`);
        // Names-only input (no counts) ranks nothing for it: the content is what found it.
        assert.equal(localize(codeIndexOf(withUse.map((f) => ({ path: f.path, names: f.names }))), text).has(user.path), false);
      }
    });

  it("reads at most MAX_CONTENT_WORDS of a hostile issue's words, the rarest: thousands of words every file uses", () => {
    for (const [count, rare] of [
      [3_000, 7],
      [MAX_CONTENT_WORDS + 1, 0],
      [10_000, 49],
    ] as const) {
      const common = Array.from({ length: count }, (_, i) => `common_${i}`);
      const files: IndexedFile[] = Array.from({ length: 50 }, (_, i) => ({
        path: `pkg/m${i}.py`,
        names: [],
        words: new Map([...common.map((w) => [w, 1] as [string, number]), ...(i === rare ? [['rare_word_x', 1] as [string, number]] : [])]),
      }));
      const index = codeIndexOf(files);
      const ranked = rankFiles(localize(index, [...common, 'rare_word_x'].reverse().join(' ')));
      assert.equal(ranked.rankOf.get(`pkg/m${rare}.py`), 1, 'the rare word is among the words read');
      const full = localize(index, common.join(' '));
      const capped = localize(index, common.slice(0, MAX_CONTENT_WORDS).join(' '));
      for (const f of index.files) assert.equal(full.get(f), capped.get(f), `${count} words: ${f}`);
    }
  });

  it('defining a rare name counts for more than using it once, and a huge file using every word does not win on length', () => {
    const rare = 'render_invoice_total';
    const index = codeIndexOf([
      { path: 'a/defines.py', names: [rare], words: new Map([[rare, 1]]) },
      {
        path: 'a/uses.py',
        names: [],
        words: new Map([
          [rare, 1],
          ['other_thing', 3],
        ]),
      },
      {
        path: 'a/huge.py',
        names: [],
        words: new Map([[rare, 1], ...Array.from({ length: 4_000 }, (_, i): [string, number] => [`n${i}_x`, 5])]),
      },
      ...Array.from({ length: 40 }, (_, i) => ({ path: `b/m${i}.py`, names: [`f${i}_y`], words: new Map([[`f${i}_y`, 2]]) })),
    ]);
    const scores = localize(index, `${rare}() is wrong.`);
    const ranked = rankFiles(scores);
    assert.equal(ranked.rankOf.get('a/defines.py'), 1);
    assert.equal(ranked.rankOf.get('a/uses.py'), 2);
    assert.ok(scores.get('a/huge.py')! < scores.get('a/uses.py')!, `huge ${scores.get('a/huge.py')}, uses ${scores.get('a/uses.py')}`);
  });
});
