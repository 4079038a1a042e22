// The core must stay free of VS Code: the lint rule and the core's own tsconfig both enforce it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '../..');

describe('layering', () => {
  it('lint rejects a vscode import under src/core but allows it under src/vscode', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
    const [core] = await eslint.lintText(code, { filePath: join(ROOT, 'src/core/store/bad.ts') });
    assert.ok(core.messages.some((m) => m.ruleId === 'no-restricted-imports' && /must stay free of VS Code/.test(m.message)), JSON.stringify(core.messages));
    const [up] = await eslint.lintText("import { run } from '../../cli/main';\nexport const r = run;\n", { filePath: join(ROOT, 'src/core/store/bad.ts') });
    assert.ok(up.messages.some((m) => m.ruleId === 'no-restricted-imports'), 'core may not import the CLI either');
    const [edge] = await eslint.lintText(code, { filePath: join(ROOT, 'src/vscode/ok.ts') });
    assert.equal(edge.messages.filter((m) => m.ruleId === 'no-restricted-imports').length, 0);
  });

  it('the core type-checks without VS Code types, so using vscode there fails the build', () => {
    const dir = join(ROOT, 'src/core/__layering_probe__');
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'probe.ts'), "import * as vscode from 'vscode';\nexport const w = vscode.window;\n");
      let out = '';
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'src/core/tsconfig.json', '--noEmit'], { cwd: ROOT, encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout);
      }
      assert.match(out, /__layering_probe__\/probe\.ts.*Property 'window' does not exist on type 'never'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
