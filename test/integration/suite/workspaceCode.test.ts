// Relevance with the open repository's code, in a real VS Code: the LM tool `dejafix_recall` judges a
// past repair against the workspace folder's git checkout (its files, read through the extension, and
// which of them are being changed), and the setting `dejafix.recall.readWorkspaceCode` turns that off.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import pkg from '../../../package.json';
import type { DejafixApi } from '../../../src/vscode/extension';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;
const ISSUE = 'Invoice total wrong: invoiceTotal() counts refunded lines in the order total.';

function text(r: vscode.LanguageModelToolResult): string {
  return r.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe("relevance with the workspace's code (LM tools)", function () {
  this.timeout(120_000);
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Dejafix Test', '-c', 'user.email=test@dejafix.invalid', ...args], {
      cwd: folder(),
      stdio: 'ignore',
    });
  const cfg = () => vscode.workspace.getConfiguration('dejafix');

  before(async () => {
    const api = (await vscode.extensions.getExtension<DejafixApi>(EXTENSION_ID)!.activate()) as DejafixApi;
    // A code base in the checkout: the invoice module an earlier repair touched, the refunds module
    // none did, and modules no issue here is about.
    mkdirSync(join(folder(), 'billing'), { recursive: true });
    writeFileSync(
      join(folder(), 'billing', 'invoice.js'),
      'function invoiceTotal(order) {\n  return 0;\n}\nmodule.exports = { invoiceTotal };\n',
    );
    writeFileSync(
      join(folder(), 'billing', 'refunds.js'),
      'function issueRefundCredit(order) {\n  return 0;\n}\nmodule.exports = { issueRefundCredit };\n',
    );
    for (let i = 0; i < 30; i++) writeFileSync(join(folder(), 'billing', `part${i}.js`), `function computePart${i}(x) {\n  return x;\n}\n`);
    git('add', 'billing');
    git('commit', '-q', '-m', 'billing code');
    const store = await api.app.memory.open();
    await store.upsertEpisodes([
      {
        id: 'ep-ws-invoice',
        repo: 'project',
        issue: {
          title: 'Invoice total wrong when the order is refunded',
          body: 'invoiceTotal() counts refunded lines in the invoice total.',
        },
        errorSignature: '',
        attempts: [],
        finalPatch: 'diff --git a/billing/invoice.js b/billing/invoice.js\n',
        reproTest: '',
        files: ['billing/invoice.js'],
        symbols: ['invoiceTotal'],
        outcome: 'resolved',
        source: 'editor',
        createdAt: '2025-02-01T00:00:00.000Z',
      },
    ]);
  });

  after(async () => {
    const api = (await vscode.extensions.getExtension<DejafixApi>(EXTENSION_ID)!.activate()) as DejafixApi;
    await cfg().update('recall.readWorkspaceCode', undefined, vscode.ConfigurationTarget.Global);
    await (await api.app.memory.open()).forget(['ep-ws-invoice']);
    api.app.recaller.invalidate();
    rmSync(join(folder(), 'billing'), { recursive: true, force: true });
    git('add', '-A', 'billing');
    git('commit', '-q', '-m', 'remove billing code');
  });

  /** The relevance the tool reports for the invoice repair, and its tool output. */
  async function recalled(query = ISSUE): Promise<{ relevance: number; out: string }> {
    const out = text(await vscode.lm.invokeTool('dejafix_recall', { input: { query, minRelevance: 0 }, toolInvocationToken: undefined }));
    const line = out.split('\n').find((l) => l.includes('episode ep-ws-invoice'));
    assert.ok(line, out);
    return { relevance: Number(/relevance \((\d\.\d\d)\)/.exec(line)![1]), out };
  }
  const relevance = async () => (await recalled()).relevance;

  it("rates higher a repair whose file is the checkout's best match for the issue; off, memory alone decides", async () => {
    const withCode = await relevance();
    await cfg().update('recall.readWorkspaceCode', false, vscode.ConfigurationTarget.Global);
    const memoryAlone = await relevance();
    assert.ok(withCode > memoryAlone, `with the checkout's code ${withCode}, memory alone ${memoryAlone}`);
    await cfg().update('recall.readWorkspaceCode', true, vscode.ConfigurationTarget.Global);
    assert.equal(await relevance(), withCode, 'on again: the same judgement');
  });

  it('mid-repair: a repair of a file saved in the editor but not committed rates higher and says why; reverted, as before', async () => {
    const vague = 'The order total is still wrong after my change.';
    const clean = await recalled(vague);
    assert.doesNotMatch(clean.out, /being changed in the checkout/);
    const doc = await vscode.workspace.openTextDocument(join(folder(), 'billing', 'invoice.js'));
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '// skip refunded lines\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    try {
      const mid = await recalled(vague);
      assert.ok(mid.relevance > clean.relevance, `changed ${mid.relevance}, clean ${clean.relevance}`);
      assert.match(mid.out, /its file is being changed in the checkout/);
    } finally {
      git('checkout', '--', 'billing/invoice.js');
    }
    assert.equal((await recalled(vague)).relevance, clean.relevance, 'reverted: as in a clean checkout');
  });
});
