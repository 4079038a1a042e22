import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHOICES, RANGES, SETTINGS, valid, type SettingKey } from '../../src/vscode/settingsSchema';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const declared: Record<
  string,
  { type: string; default: unknown; enum?: string[]; minimum?: number; maximum?: number; markdownDescription?: string }
> = pkg.contributes.configuration.properties;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : [],
  );
}

describe('settings: code and package.json agree', () => {
  it('declares exactly the keys the code reads, with the same defaults, choices and ranges', () => {
    assert.deepEqual(
      Object.keys(declared).sort(),
      Object.keys(SETTINGS)
        .map((k) => `dejafix.${k}`)
        .sort(),
    );
    for (const [k, def] of Object.entries(SETTINGS)) {
      const d = declared[`dejafix.${k}`];
      assert.deepEqual(d.default, def, k);
      assert.equal(d.type, Array.isArray(def) ? 'array' : typeof def, k);
      assert.ok(d.markdownDescription && d.markdownDescription.length > 20, `${k} has a markdownDescription`);
      assert.deepEqual(d.enum, CHOICES[k as SettingKey], k);
      const r = RANGES[k as SettingKey];
      assert.deepEqual([d.minimum, d.maximum], r ? r : [undefined, undefined], k);
    }
  });

  it('reads settings only through the Settings class', () => {
    const offenders = files(join(__dirname, '../../src')).filter(
      (f) => !f.endsWith('settings.ts') && /getConfiguration\(\s*['"]dejafix/.test(readFileSync(f, 'utf8')),
    );
    assert.deepEqual(offenders, []);
    const keysUsed = new Set(
      files(join(__dirname, '../../src/vscode')).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/settings\.get\('([^']+)'/g)].map((m) => m[1]),
      ),
    );
    for (const k of keysUsed) assert.ok(k in SETTINGS, `${k} is read but not declared`);
  });

  it('rejects values of the wrong type, outside the choices or the range, and hostile sizes', () => {
    assert.ok(valid('recall.maxResults', 7));
    for (const bad of [0, 21, Number.NaN, Infinity, '5', null]) assert.ok(!valid('recall.maxResults', bad), String(bad));
    assert.ok(valid('llm.provider', 'vscode-lm'));
    assert.ok(!valid('llm.provider', 'gpt'));
    assert.ok(!valid('store.path', 'x'.repeat(5_000)));
    assert.ok(valid('capture.testCommands', ['pytest']));
    assert.ok(!valid('capture.testCommands', ['ok', 3]));
    assert.ok(!valid('capture.testCommands', Array(300).fill('x')));
    assert.ok(!valid('capture.enabled', 'true'));
  });
});
