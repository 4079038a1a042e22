// A checkout's index leaves out what is not the project's own code (src/core/workspace/ownCode.ts):
// copies of other projects, minified or version-named bundles, generated stubs and the top-level
// documentation folders are never read, so their large vocabularies cannot outrank the project's
// files for an issue; the repository's marks decide each kind on its own.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { localize, rankFiles } from '../../src/core/workspace/codeIndex';
import { notOwnCode, type KindMarks } from '../../src/core/workspace/ownCode';
import { clearCodeIndexCache, readCode } from '../../src/core/workspace/workspaceCode';
import { Rng } from '../fixtures/redact/rng';
import { useTempDir } from '../helpers/tmp';
import { checkout, git } from '../helpers/shopCheckout';

const DIRS = ['vendor', 'Vendor', 'vendored', '_vendor', 'third_party', 'third-party', 'ThirdParty', '3rdparty', 'extern', 'externals'];
const DIRS_TOO = ['node_modules', 'bower_components', 'site-packages', 'dist-packages'];
const EXT = ['py', 'js', 'ts', 'go', 'rs', 'java', 'c', 'h', 'rb', 'php'];
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

function name(rng: Rng): string {
  return rng.from(LOWER, rng.int(3, 10));
}

/** A project-looking folder path of 0–3 parts. */
function prefix(rng: Rng): string {
  return Array.from({ length: rng.int(0, 3) }, () => `${name(rng)}/`).join('');
}

/** linguist's documentation folders: at the top, or (the last two) at any depth. */
const DOC_TOP = [
  'docs',
  'doc',
  'Docs',
  'Doc',
  'examples',
  'Examples',
  'demo',
  'demos',
  'Demo',
  'sample',
  'samples',
  'Samples',
  'man',
  'Man',
];
const DOC_ANY = ['documentation', 'Documentation', 'javadoc', 'Javadoc'];

function vendored(rng: Rng): string {
  switch (rng.int(0, 5)) {
    case 4:
      return `${rng.pick(DOC_TOP)}/${prefix(rng)}${name(rng)}.${rng.pick(EXT)}`;
    case 5:
      return `${prefix(rng)}${rng.pick(DOC_ANY)}/${prefix(rng)}${name(rng)}.${rng.pick(EXT)}`;
    case 0:
      return `${prefix(rng)}${rng.pick([...DIRS, ...DIRS_TOO])}/${prefix(rng)}${name(rng)}.${rng.pick(EXT)}`;
    case 1:
      return `${prefix(rng)}${name(rng)}${rng.pick(['.min', '-min'])}.${rng.pick(['js', 'mjs', 'cjs'])}`;
    case 2: {
      const v = `${rng.pick(['', 'v'])}${rng.int(0, 20)}.${rng.int(0, 30)}.${rng.int(0, 30)}`;
      return `${prefix(rng)}${name(rng)}${rng.pick(['-', '.'])}${v}${rng.pick(['', '.min'])}.js`;
    }
    default:
      return `${prefix(rng)}${name(rng)}${rng.pick(['_pb2.py', '_pb2_grpc.py', '_pb2.pyi', '.pb.go', '_grpc.pb.go', '.pb.gw.go', '.pb.cc', '.pb.h'])}`;
  }
}

/** Paths that look like the rules but are the project's own code. */
function ordinary(rng: Rng): string {
  switch (rng.int(0, 7)) {
    case 6: // a documentation folder's name below the top (linguist: only at the top), or a longer word
      return `${name(rng)}/${prefix(rng)}${rng.pick(DOC_TOP)}/${name(rng)}.${rng.pick(EXT)}`;
    case 7:
      return `${rng.pick(['example', 'docsite', 'documents', 'manual', 'mandel', 'demographics', 'sampler', 'DOCS', 'EXAMPLES'])}/${name(rng)}.${rng.pick(EXT)}`;
    case 0: // a word containing a vendor folder's name, as a folder or a file
      return `${prefix(rng)}${rng.pick(['vendors', 'vendor_api', 'my_vendor', 'extern_c', 'externalize', 'partyline'])}/${name(rng)}.${rng.pick(EXT)}`;
    case 1: // a file named like a vendor folder
      return `${prefix(rng)}${rng.pick(['vendor', 'extern', 'third_party', 'node_modules'])}.${rng.pick(EXT)}`;
    case 2: // "min" inside a name, or a two-part version
      return `${prefix(rng)}${rng.pick(['admin', 'minify', 'minimal', 'terminal', 'min', 'app-1.2', 'lib.v2'])}.js`;
    case 3: // a version in a folder, not in the file's name
      return `${prefix(rng)}v${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}/${name(rng)}.js`;
    case 4: // protobuf-ish names that are not generated stubs
      return `${prefix(rng)}${rng.pick(['pb2', 'proto_pb', 'pbgo', 'protobuf'])}.${rng.pick(['py', 'go'])}`;
    default:
      return `${prefix(rng)}${name(rng)}.${rng.pick(EXT)}`;
  }
}

describe("workspace: vendored, generated and documentation files stay out of a checkout's index", function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  beforeEach(() => clearCodeIndexCache());

  for (const seed of [11, 12, 13])
    it(`seed ${seed}: 400 fresh vendored, bundled, generated or documentation paths are recognised, 400 look-alikes are not`, () => {
      const rng = new Rng(seed);
      for (let i = 0; i < 400; i++) {
        const v = vendored(rng);
        assert.equal(notOwnCode(v), true, v);
        const o = ordinary(rng);
        assert.equal(notOwnCode(o), false, o);
      }
    });

  it('a mark decides its own kind only: =false on one kind keeps a file only when no other kind holds it', () => {
    const cases: [string, KindMarks, boolean][] = [
      ['extern/acme/client.py', { vendored: false }, false],
      ['extern/acme/client.py', { generated: false }, true],
      ['extern/acme/client.py', { documentation: false }, true],
      ['extern/acme/client_pb2.py', { vendored: false }, true],
      ['extern/acme/client_pb2.py', { vendored: false, generated: false }, false],
      ['docs/conf.py', { vendored: false }, true],
      ['docs/conf.py', { documentation: false }, false],
      ['vendor/docs/a.py', { documentation: false }, true],
      ['shop/cart.py', {}, false],
      ['shop/cart.py', { vendored: true }, true],
      ['shop/cart.py', { generated: true, vendored: false }, true],
      ['shop/cart.py', { documentation: true }, true],
      ['shop/cart.py', { vendored: false, generated: false, documentation: false }, false],
    ];
    for (const [path, marks, out] of cases) assert.equal(notOwnCode(path, marks), out, `${path} ${JSON.stringify(marks)}`);
  });

  it("never reads a checkout's vendored copies, bundles or stubs, and its own file ranks first for an issue they would have won", async () => {
    const repo = checkout(tmp.path);
    // Each copy defines the issue's names and uses them far more often than the project's own file does.
    const heavy = (fn: string) =>
      `def ${fn}(order):\n    pass\n${'    issue_refund_credit(order); RefundPolicy.apply(order)\n'.repeat(50)}`;
    const extra: Record<string, string> = {
      'shop/vendor/payments/refunds.py': heavy('issue_refund_credit'),
      'third_party/billing_sdk/refund_policy.py': `class RefundPolicy:\n    pass\n${heavy('refund_policy_apply')}`,
      'shop/static/js/refunds-2.4.1.js': `function issue_refund_credit(order) {}\n${'issue_refund_credit(o); RefundPolicy(o);\n'.repeat(50)}`,
      'shop/static/js/refunds.min.js': `function issue_refund_credit(o){};${'issue_refund_credit(o);'.repeat(40)}\n`,
      'shop/proto/refunds_pb2.py': `class RefundPolicy:\n    pass\n${heavy('issue_refund_credit_stub')}`,
      'examples/refund_walkthrough.py': heavy('refund_walkthrough'),
      'docs/howto/refunds.py': heavy('docs_refund_example'),
    };
    for (const [path, text] of Object.entries(extra)) {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), text);
    }
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'vendored copies');
    const { index, read } = await readCode(repo);
    assert.equal(read, 44, 'the 44 project files read, none of the 7 copies and examples');
    for (const path of Object.keys(extra)) assert.ok(!index.files.includes(path), path);
    const issue = 'issue_refund_credit raises when RefundPolicy is applied to an order twice';
    const { rankOf } = rankFiles(localize(index, issue));
    assert.equal(rankOf.get('shop/billing/refunds.py'), 1);
  });
});
