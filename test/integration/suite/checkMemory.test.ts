// "Dejafix: Check and Repair Memory…" in a real VS Code: on a store with a damaged table it names the
// table in a modal question, repairs only after "Repair", and leaves a store every check passes; a
// command that meets the damage first says which table, with "Check and Repair Memory" offered.
// The message functions are observed (and the modal answered) by wrapping vscode.window's own.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { runDoctor } from '../../../src/core/store/doctor';
import { dejafix, eventually } from '../support/dejafix';

type Shown = { kind: string; text: string; options: unknown[] };

describe('editor: Check and Repair Memory', function () {
  this.timeout(180_000);
  const config = () => vscode.workspace.getConfiguration('dejafix');
  let before: string | undefined;
  const win = vscode.window as unknown as Record<string, (...a: unknown[]) => Thenable<unknown>>;
  const originals = {
    showWarningMessage: win.showWarningMessage,
    showInformationMessage: win.showInformationMessage,
    showErrorMessage: win.showErrorMessage,
  };

  afterEach(async () => {
    Object.assign(win, originals);
    await config().update('store.path', before, vscode.ConfigurationTarget.Global);
  });

  it('names the damaged table, repairs only after confirmation, and the store checks healthy afterwards', async () => {
    const api = await dejafix();
    before = config().inspect<string>('store.path')?.globalValue;
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-check-'));
    await config().update('store.path', dir, vscode.ConfigurationTarget.Global);
    await eventually('the store path setting to apply', () => api.app.memory.location() === dir);
    const store = await api.app.memory.open();
    for (const id of ['ep-chk-1', 'ep-chk-2']) {
      await store.upsertEpisodes([
        {
          id,
          repo: 'r',
          issue: { title: `Check ${id}`, body: 'b' },
          errorSignature: '',
          finalPatch: '',
          reproTest: '',
          files: [],
          symbols: [],
          outcome: 'failed',
          source: 'editor',
          createdAt: '2026-01-01T00:00:00.000Z',
          attempts: [
            {
              id: `${id}-a`,
              episodeId: id,
              patch: '',
              command: 'pytest',
              exitCode: 1,
              outputTail: 'E',
              at: '2026-01-01T00:01:00.000Z',
              by: 'human',
              outcome: 'failed',
            },
          ],
        },
      ]);
    }
    await api.app.memory.reset();
    const data = join(dir, 'attempts.lance', 'data');
    rmSync(join(data, readdirSync(data).sort().at(-1)!));

    const shown: Shown[] = [];
    const record =
      (kind: string, answer?: string) =>
      (text: unknown, ...options: unknown[]) => {
        shown.push({ kind, text: String(text), options });
        return Promise.resolve(answer);
      };
    // A command that meets the damage names the table and offers the repair command.
    Object.assign(win, {
      showWarningMessage: record('warning', undefined),
      showInformationMessage: record('info'),
      showErrorMessage: record('error'),
    });
    await vscode.commands.executeCommand('dejafix.exportMemory', vscode.Uri.file(join(dir, '..', `${Date.now()}-export.jsonl`)));
    const failure = await eventually('the export error', () => shown.find((s) => s.kind === 'error'));
    assert.match(failure.text, /^Dejafix: .*attempts table cannot be read/);
    assert.doesNotMatch(failure.text, /\.rs:\d+|LanceError|\n/);
    assert.deepEqual(failure.options, ['Check and Repair Memory', 'Show Logs']);
    shown.length = 0;

    // First: decline. Nothing may be repaired.
    await vscode.commands.executeCommand('dejafix.checkMemory');
    const question = shown.find((s) => s.kind === 'warning');
    assert.ok(question, `asked: ${JSON.stringify(shown)}`);
    assert.match(question.text, /is damaged: attempts \(a data file is missing\)/);
    assert.deepEqual((question.options[0] as { modal?: boolean }).modal, true);
    assert.ok(question.options.includes('Repair'));
    assert.deepEqual((await runDoctor(dir)).damaged, ['attempts'], 'declined: nothing was repaired');

    // Then: confirm.
    shown.length = 0;
    Object.assign(win, { showWarningMessage: record('warning', 'Repair') });
    await vscode.commands.executeCommand('dejafix.checkMemory');
    const done = shown.find((s) => s.kind === 'info');
    assert.ok(done, `told: ${JSON.stringify(shown)}`);
    assert.match(done.text, /repaired attempts/);
    assert.deepEqual((await runDoctor(dir)).damaged, []);
    assert.ok((await (await api.app.memory.open()).count('episodes')) >= 0, 'the store opens again after the repair');
  });
});
