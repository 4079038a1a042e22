// Activation stays light: the built extension (dist/extension.js), loaded and activated in a fresh
// Node process with an inert VS Code API (bench/activationProbe.js), registers its commands without
// logging an error and without loading LanceDB, Arrow, the Anthropic SDK, the embedding model,
// secretlint, zod or the MCP SDK, nor their bundled chunks in dist/lazy/ — each is loaded on first
// use. The chunks are whole: copied outside the repository (no node_modules to fall back on), each
// loads and exports its packages, and the tokenizer finds its WebAssembly beside its chunk (as in the VSIX).
// (Timing is bench:activation's.)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(__dirname, '../..');

describe('activation loads no heavy library', () => {
  it('activate() registers everything and leaves the heavy modules unloaded', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '../../bench/activationProbe.js')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.split('\n').find((l) => l.startsWith('Error')) ?? r.stderr);
    const out = JSON.parse(r.stdout) as { registrations: number };
    assert.ok(out.registrations >= 20, `only ${out.registrations} registrations`);
  });

  it('each lazy chunk loads on its own, outside the repository, and exports its packages', () => {
    const chunks = JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { LAZY_CHUNKS } from ${JSON.stringify(join(repoRoot, 'scripts/lazyChunks.mjs'))}; process.stdout.write(JSON.stringify(LAZY_CHUNKS));`,
        ],
        { encoding: 'utf8' },
      ),
    ) as Record<string, string[]>;
    assert.ok(Object.keys(chunks).length >= 3, `chunks: ${Object.keys(chunks).join(', ')}`);
    const dir = mkdtempSync(join(tmpdir(), 'dejafix-lazy-'));
    try {
      cpSync(join(repoRoot, 'dist/lazy'), join(dir, 'lazy'), { recursive: true });
      // what each chunk exports, and a token count through the chunk's own WebAssembly
      const probe = `
        const chunks = ${JSON.stringify(chunks)};
        const out = {};
        for (const [chunk, specs] of Object.entries(chunks)) {
          const m = require(${JSON.stringify(dir)} + '/lazy/' + chunk + '.js');
          for (const s of specs) out[s] = Object.keys(m[s] ?? {}).length;
        }
        const tok = require(${JSON.stringify(dir)} + '/lazy/anthropic.js')['@anthropic-ai/tokenizer'].getTokenizer();
        out.tokens = tok.encode('The quick brown fox').length;
        tok.free();
        out.outside = Object.keys(require.cache).filter((f) => !f.startsWith(${JSON.stringify(dir)}));
        process.stdout.write(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['-e', probe], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as Record<string, number> & { outside: string[] };
      for (const spec of Object.values(chunks).flat()) assert.ok(out[spec] > 0, `${spec} exports nothing from its chunk`);
      assert.equal(out.tokens, 4);
      assert.deepEqual(
        out.outside.filter((f) => f.includes('node_modules')),
        [],
        'a chunk loaded a package from node_modules',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
