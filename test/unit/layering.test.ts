// Every layer is enforced: the lint zones (who may import whom) each fire on an offending import
// and stay quiet on an allowed one; storage syntax is rejected outside the store; the no-cycles
// check finds a cycle; and the core's own tsconfig keeps VS Code out of it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');

/** [file in the layer, an import it may not make, an import it may make] per zone. */
const ZONES: [string, string, string][] = [
  ['src/core/store/probe.ts', '../../vscode/app', '../model/episode'],
  ['src/core/recall/probe.ts', '../../mcp/server', '../store/store'],
  ['src/core/agent/probe.ts', '../../shared/viewModel', '../util/text'],
  // The one exception: the age wording (src/shared/age.ts, import-free) is shared with the core.
  ['src/core/compose/probe.ts', '../../shared/limits', '../../shared/age'],
  ['src/shared/probe.ts', '../core/model', './limits'],
  ['src/shared/probe.ts', '../webview/app', './viewModel'],
  ['src/webview/views/probe.ts', '../../core/util/text', '../../shared/limits'],
  ['src/webview/probe.ts', '../vscode/log', './format'],
  ['src/vscode/probe.ts', '../cli/main', '../core/store/queries'],
  ['src/vscode/agents/probe.ts', '../../mcp/server', '../../shared/limits'],
  ['src/vscode/panel/probe.ts', '../../webview/format', '../../core/model'],
  ['src/cli/commands/probe.ts', '../../vscode/app', '../../core/store/queries'],
  ['src/cli/probe.ts', '../shared/limits', '../mcp/server'],
  ['src/mcp/probe.ts', '../cli/main', '../core/agent'],
  ['src/mcp/probe.ts', '../shared/limits', '../core/store/queries'],
];
const VSCODE_FREE = ['src/core/model/probe.ts', 'src/shared/probe.ts', 'src/webview/probe.ts', 'src/cli/probe.ts', 'src/mcp/probe.ts'];

describe('layering', () => {
  it('lint rejects a vscode import under src/core but allows it under src/vscode', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const code = "import * as vscode from 'vscode';\nexport const x = vscode;\n";
    const [core] = await eslint.lintText(code, { filePath: join(ROOT, 'src/core/store/bad.ts') });
    assert.ok(
      core.messages.some((m) => m.ruleId === 'no-restricted-imports' && /src\/core is pure TypeScript/.test(m.message)),
      JSON.stringify(core.messages),
    );
    const [up] = await eslint.lintText("import { run } from '../../cli/main';\nexport const r = run;\n", {
      filePath: join(ROOT, 'src/core/store/bad.ts'),
    });
    assert.ok(
      up.messages.some((m) => m.ruleId === 'no-restricted-imports'),
      'core may not import the CLI either',
    );
    const [edge] = await eslint.lintText(code, { filePath: join(ROOT, 'src/vscode/ok.ts') });
    assert.equal(edge.messages.filter((m) => m.ruleId === 'no-restricted-imports').length, 0);
  });

  it('each layer zone rejects an import across its boundary and allows one inside it', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const restricted = async (file: string, from: string) => {
      const [r] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, { filePath: join(ROOT, file) });
      return r.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    };
    for (const [file, bad, good] of ZONES) {
      assert.equal((await restricted(file, bad)).length, 1, `${file} may not import ${bad}`);
      assert.deepEqual(await restricted(file, good), [], `${file} may import ${good}`);
    }
    for (const file of VSCODE_FREE) assert.ok((await restricted(file, 'vscode')).length >= 1, `${file} may not import vscode`);
    assert.deepEqual(await restricted('src/vscode/probe.ts', 'vscode'), []);
  });

  it('storage syntax is rejected outside src/core/store and src/core/recall, allowed inside', async () => {
    const eslint = new ESLint({ cwd: ROOT });
    const offences = [
      "import type { Table } from '@lancedb/lancedb';\nexport type T = Table;\n",
      "export const m = () => import('@lancedb/lancedb');\n",
      "import { sqlString } from '../core/store/rows';\nexport const s = sqlString;\n",
      "import { loadLance } from '../../store/lance';\nexport const l = loadLance;\n",
      "import { where } from '../core/store/where';\nexport const w = where(\"outcome = 'resolved'\");\n",
      "export async function f(store: { table(n: string): { query(): { where(w: string): unknown } } }) { return store.table('episodes').query().where(\"repo = 'x'\"); }\n",
      "export const n = (t: { countRows(w?: string): number }) => t.countRows('outcome = 1');\n",
    ];
    const storage = async (file: string, code: string) => {
      const [r] = await eslint.lintText(code, { filePath: join(ROOT, file) });
      return r.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && /Storage syntax stays in the store/.test(m.message));
    };
    for (const file of [
      'src/cli/commands/probe.ts',
      'src/vscode/probe.ts',
      'src/core/reflect/probe.ts',
      'src/core/agent/probe.ts',
      'src/mcp/probe.ts',
    ]) {
      for (const code of offences) assert.ok((await storage(file, code)).length >= 1, `${file}: ${code}`);
    }
    for (const file of ['src/core/store/probe.ts', 'src/core/recall/probe.ts']) {
      for (const code of offences) assert.deepEqual(await storage(file, code), [], `${file}: ${code}`);
    }
  });

  it('the no-cycles check finds an import cycle, and the product has none', async () => {
    const { findCycles, ENTRY_POINTS } = (await import(join(ROOT, 'scripts/cycles.mjs'))) as {
      findCycles(e: string[], cwd?: string): Promise<string[][]>;
      ENTRY_POINTS: string[];
    };
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-cycles-'));
    try {
      mkdirSync(join(dir, 'src/views'), { recursive: true });
      writeFileSync(join(dir, 'src/main.ts'), "import { view } from './views/chat';\nconsole.log(view());\n");
      writeFileSync(join(dir, 'src/app.ts'), "import { view } from './views/chat';\nexport const app = { name: 'app', view };\n");
      writeFileSync(join(dir, 'src/views/chat.ts'), "import { app } from '../app';\nexport const view = () => app.name;\n");
      writeFileSync(join(dir, 'src/self.ts'), "import * as me from './self';\nexport const x = () => me;\n");
      writeFileSync(join(dir, 'src/typeOnly.ts'), "import type { T } from './typeOnly2';\nexport const t: T | undefined = undefined;\n");
      writeFileSync(join(dir, 'src/typeOnly2.ts'), "import { t } from './typeOnly';\nexport type T = string;\nexport const u = t;\n");
      const cycles = await findCycles(['src/main.ts', 'src/self.ts', 'src/typeOnly2.ts'], dir);
      assert.deepEqual(cycles.map((c) => c.join(' ')).sort(), ['src/app.ts src/views/chat.ts', 'src/self.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(await findCycles(ENTRY_POINTS, ROOT), []);
  });

  it('a type-only import cycle counts too (a view naming the concrete App), and there is none anywhere in src', async () => {
    const { findSourceCycles, TYPE_STRICT_DIRS } = (await import(join(ROOT, 'scripts/cycles.mjs'))) as {
      findSourceCycles(d: string[], cwd?: string): string[][];
      TYPE_STRICT_DIRS: string[];
    };
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-cycles-'));
    try {
      mkdirSync(join(dir, 'src/webview/views'), { recursive: true });
      writeFileSync(
        join(dir, 'src/webview/app.ts'),
        "import { ChatView } from './views/chat';\nexport class App { chat = new ChatView(this); name = 'app'; }\n",
      );
      writeFileSync(
        join(dir, 'src/webview/views/chat.ts'),
        "import type { App } from '../app';\nexport class ChatView { constructor(readonly app: App) {} }\n",
      );
      writeFileSync(join(dir, 'src/webview/views/context.ts'), 'export interface PanelContext { name: string }\n');
      writeFileSync(
        join(dir, 'src/webview/views/prompt.ts'),
        "import type { PanelContext } from './context';\nexport const p = (c: PanelContext) => c.name;\n",
      );
      assert.deepEqual(findSourceCycles(['src/webview'], dir), [['src/webview/app.ts', 'src/webview/views/chat.ts']]);
      writeFileSync(
        join(dir, 'src/webview/views/chat.ts'),
        "import type { PanelContext } from './context';\nexport class ChatView { constructor(readonly ctx: PanelContext) {} }\n",
      );
      assert.deepEqual(findSourceCycles(['src/webview'], dir), [], 'the narrow interface breaks it');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(TYPE_STRICT_DIRS, ['src']);
    assert.deepEqual(findSourceCycles(TYPE_STRICT_DIRS, ROOT), []);
  });

  it('the core type-checks without VS Code types, so using vscode there fails the build', () => {
    const dir = join(ROOT, 'src/core/__layering_probe__');
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'probe.ts'), "import * as vscode from 'vscode';\nexport const w = vscode.window;\n");
      let out = '';
      try {
        execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'src/core/tsconfig.json', '--noEmit'], {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout);
      }
      assert.match(out, /__layering_probe__\/probe\.ts.*Property 'window' does not exist on type 'never'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no where-clause string crosses the store API: its methods take a Where only the store can build', () => {
    const dir = join(ROOT, 'test/unit/__where_probe__');
    mkdirSync(dir, { recursive: true });
    try {
      const probe = join(dir, 'probe.ts');
      writeFileSync(
        probe,
        [
          "import type { ExperienceStore } from '../../../src/core/store/store';",
          "import { equals } from '../../../src/core/store/where';",
          'export async function f(store: ExperienceStore) {',
          '  await store.insights("status = \'active\'");',
          "  await store.count('episodes', \"outcome = 'resolved'\");",
          '  for await (const b of store.episodes(10, "repo = \'x\'")) void b;',
          "  return store.count('episodes', equals('outcome', 'resolved'));",
          '}',
          '',
        ].join('\n'),
      );
      const program = ts.createProgram([probe], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
        types: ['node'],
      });
      const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === probe.replace(/\\/g, '/'));
      const lines = errors.map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
      assert.deepEqual(lines, [4, 5, 6], errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join('\n'));
      for (const d of errors)
        assert.match(ts.flattenDiagnosticMessageText(d.messageText, ' '), /'string' is not assignable to parameter of type 'Where'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
