// Activation stays light: the built extension (dist/extension.js), loaded and activated in a fresh
// Node process with an inert VS Code API (bench/activationProbe.js), registers its commands without
// logging an error and without loading LanceDB, Arrow, the Anthropic SDK, the embedding model,
// secretlint, zod or the MCP SDK — each is imported on first use. (Timing is bench:activation's.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

describe('activation loads no heavy library', () => {
  it('activate() registers everything and leaves the heavy modules unloaded', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '../../bench/activationProbe.js')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr.split('\n').find((l) => l.startsWith('Error')) ?? r.stderr);
    const out = JSON.parse(r.stdout) as { registrations: number };
    assert.ok(out.registrations >= 20, `only ${out.registrations} registrations`);
  });
});
