// The extension as VS Code sees it: present, activates, and registers every command it declares.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import pkg from '../../../package.json';

const EXTENSION_ID = `${pkg.publisher}.${pkg.name}`;

interface DeclaredCommand {
  command: string;
  title: string;
}

function declaredCommands(ext: vscode.Extension<unknown>): DeclaredCommand[] {
  return (ext.packageJSON?.contributes?.commands ?? []) as DeclaredCommand[];
}

describe('activation', () => {
  it(`finds the extension ${EXTENSION_ID} loaded from this repository`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among the installed extensions: ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
    assert.equal(ext.packageJSON.version, pkg.version);
    assert.equal(ext.packageJSON.main, pkg.main);
  });

  it('activates without error', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command declared in package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const declared = declaredCommands(ext).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `declared in package.json but not registered: ${missing.join(', ')}`);
  });

  it('declares commands only under the dejafix. prefix and the Dejafix category', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    for (const c of declaredCommands(ext)) {
      assert.match(c.command, /^dejafix\.[A-Za-z][\w.]*$/, `command id ${c.command}`);
      assert.equal((c as DeclaredCommand & { category?: string }).category, 'Dejafix', `category of ${c.command}`);
    }
  });
});
