// Every entry point against one fresh corpus (issue 13, "Done when"): generated secret variants go in
// through `dejafix import` (Dejafix JSONL, swebench, swebench-runs, claude-code, sweagent-traj), the
// MCP tools (in-memory transport), AgentTools.run (the LM tools' core) and the editor's capture core
// (startSession → recordAttempt → endSession → upsertEpisodes); then the export and every byte of the
// store are scanned. No secret may remain; ordinary snippets must come back byte-identical.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentTools, StoreSessions } from '../../src/core/agent';
import { endSession, recordAttempt, startSession } from '../../src/core/capture/session';
import { generateCorpus, type SecretEntry } from '../fixtures/redact/generateCorpus';
import { Rng, classes } from '../fixtures/redact/redteamCorpus';
import { runCli } from '../helpers/cli';
import { callTool, memoryMcp, resultText } from '../helpers/mcpMemory';
import { leaksIn, storeBytes } from '../helpers/storeBytes';
import { useTempDir } from '../helpers/tmp';

const FIX = join(__dirname, '..', 'fixtures');
const SKIP_KEYS = new Set([
  'type',
  'uuid',
  'parentUuid',
  'id',
  'instance_id',
  'sessionId',
  'role',
  'cwd',
  'timestamp',
  'system',
  'created_at',
  'base_commit',
  'version',
  'name',
  'tool_use_id',
]);

/** Appends the next secrets' texts to every text-like string of a parsed JSON value; returns what it used. */
function inject(value: unknown, next: () => SecretEntry | undefined, used: SecretEntry[]): unknown {
  if (typeof value === 'string') {
    if (value.length < 15 || !/\s/.test(value)) return value;
    const s = next();
    if (!s) return value;
    used.push(s);
    return `${value}\n${s.text}`;
  }
  if (Array.isArray(value)) return value.map((v) => inject(v, next, used));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SKIP_KEYS.has(k) ? v : inject(v, next, used)]));
  }
  return value;
}

function injectJsonl(text: string, next: () => SecretEntry | undefined, used: SecretEntry[]): string {
  return text
    .split('\n')
    .map((l) => (l.trim() ? JSON.stringify(inject(JSON.parse(l), next, used)) : l))
    .join('\n');
}

/** The red-team pass's classes (redact-redteam.test.ts) as entries, two draws of each, every snippet. */
function redteamEntries(seed: number): SecretEntry[] {
  return classes.flatMap((c, k) => {
    const r = new Rng(seed + k * 101);
    return [0, 1].flatMap((i) => {
      const made = c.make(r);
      return made.snippets.map((text, j) => ({
        id: `rt-${c.cls}-${i}-${j}`,
        cls: c.cls,
        carrier: 'issue' as const,
        text,
        secret: made.secret,
      }));
    });
  });
}

/** `a` and `b` taken in turn (then the rest of the longer one). */
function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(...(i < a.length ? [a[i]] : []), ...(i < b.length ? [b[i]] : []));
  return out;
}

describe('redaction at every entry point (fresh corpus, export and store bytes scanned)', function () {
  this.timeout(1_200_000);
  const tmp = useTempDir();

  it('leaks nothing through JSONL, swebench, swebench-runs, claude-code, sweagent, MCP, LM tools and editor capture', async () => {
    const corpus = generateCorpus(777013);
    // The first corpus and the red-team pass's classes, in turn; the repository URLs below take their
    // passwords from the first corpus only (URL-safe).
    const all = interleave(corpus.secrets, redteamEntries(777013));
    const queue = [...all];
    const next = () => queue.shift() ?? (queue.push(...all), queue.shift());
    const store = join(tmp.path, 'store');
    const inputs = join(tmp.path, 'in');
    mkdirSync(inputs);
    const used: Record<string, SecretEntry[]> = {};
    const importOk = async (name: string, args: string[]) => {
      const r = await runCli(['import', '--store', store, '--embedder', 'none', ...args]);
      assert.ok(r.code === 0, `${name}: exit ${r.code}\n${r.stderr}`);
    };

    // 1. Dejafix JSONL: one episode per secret group, every field a carrier, with ordinary snippets.
    used.jsonl = all.slice(0, 80);
    const ordinary = corpus.ordinary.map((o) => o.text);
    const lines = Array.from({ length: 20 }, (_, k) => {
      const s = used.jsonl.slice(k * 4, k * 4 + 4).map((x) => x.text);
      const id = `ep-entry-${k}`;
      return JSON.stringify({
        kind: 'episode',
        id,
        repo: `https://deploy:${corpus.secrets[100 + k].secret}@github.com/acme/app.git`,
        issue: { title: `Crash ${k}`, body: `${s[0]}\n\n${ordinary[k]}` },
        errorSignature: '',
        finalPatch: s[1],
        reproTest: '',
        files: ['app/x.py'],
        symbols: [],
        outcome: 'resolved',
        source: 'import:jsonl',
        createdAt: '2024-01-01T00:00:00.000Z',
        attempts: [
          {
            id: `${id}-a`,
            episodeId: id,
            patch: '',
            command: s[2],
            exitCode: 1,
            outputTail: `${s[3]}\n${ordinary[k + 20]}`,
            at: '2024-01-01T00:05:00.000Z',
            by: 'human',
            outcome: 'failed',
          },
        ],
      });
    });
    used.jsonl.push(...corpus.secrets.slice(100, 120));
    writeFileSync(join(inputs, 'mem.jsonl'), `${lines.join('\n')}\n`);
    await importOk('jsonl', [join(inputs, 'mem.jsonl')]);

    // 2-5. The other formats: their own fixtures with secrets appended to every text field.
    used.swebench = [];
    writeFileSync(join(inputs, 'sb.jsonl'), injectJsonl(readFileSync(join(FIX, 'swebench-mini.jsonl'), 'utf8'), next, used.swebench));
    await importOk('swebench', ['--format', 'swebench', join(inputs, 'sb.jsonl')]);
    used.runs = [];
    writeFileSync(join(inputs, 'runs.jsonl'), injectJsonl(readFileSync(join(FIX, 'swebench-runs-mini.jsonl'), 'utf8'), next, used.runs));
    await importOk('swebench-runs', ['--format', 'swebench-runs', '--instances', join(inputs, 'sb.jsonl'), join(inputs, 'runs.jsonl')]);
    used.claude = [];
    const cc = join(inputs, 'claude', '-home-dev-ledger');
    mkdirSync(cc, { recursive: true });
    for (const f of readdirSync(join(FIX, 'claude-code', '-home-dev-ledger'))) {
      writeFileSync(join(cc, f), injectJsonl(readFileSync(join(FIX, 'claude-code', '-home-dev-ledger', f), 'utf8'), next, used.claude));
    }
    await importOk('claude-code', ['--format', 'claude-code', cc]);
    used.sweagent = [];
    const trajs = join(inputs, 'trajs');
    mkdirSync(trajs);
    for (const f of readdirSync(join(FIX, 'sweagent')).filter((f) => f.endsWith('.traj'))) {
      writeFileSync(
        join(trajs, f),
        JSON.stringify(inject(JSON.parse(readFileSync(join(FIX, 'sweagent', f), 'utf8')), next, used.sweagent)),
      );
    }
    cpSync(join(FIX, 'sweagent', 'results.jsonl'), join(tmp.path, 'results.jsonl'));
    await importOk('sweagent', ['--format', 'sweagent-traj', trajs]);
    for (const [k, min] of [
      ['swebench', 8],
      ['runs', 2],
      ['claude', 8],
      ['sweagent', 8],
    ] as const)
      assert.ok(used[k].length >= min, `${k}: only ${used[k].length} secrets placed`);

    // 6-8. In-process front doors on the same store.
    const mcp = await memoryMcp(store);
    try {
      used.mcp = [];
      const client = await mcp.connect('claude-code');
      for (let k = 0; k < 6; k++) {
        const s = [next()!, next()!, next()!, next()!];
        used.mcp.push(...s);
        const a = await callTool(client, 'dejafix_record_attempt', {
          issue: { title: `MCP failure ${k}`, body: s[0].text },
          command: s[1].text.slice(0, 10_000),
          exitCode: 1,
          output: `${s[2].text}\n${ordinary[40 + k]}`,
          patch: s[3].text,
        });
        assert.equal(a.isError, undefined, resultText(a));
        const o = await callTool(client, 'dejafix_record_outcome', { outcome: 'failed' });
        assert.equal(o.isError, undefined, resultText(o));
      }
      used.lmTools = [];
      const tools = new AgentTools({ store: async () => mcp.store, sessions: new StoreSessions(mcp.store) });
      for (let k = 0; k < 4; k++) {
        const s = [next()!, next()!, next()!];
        used.lmTools.push(...s);
        await tools.run('dejafix_record_attempt', {
          issue: { title: `LM tool failure ${k}`, body: s[0].text },
          command: 'pytest -x',
          exitCode: 1,
          output: s[1].text,
          patch: s[2].text,
          agent: 'copilot',
        });
        await tools.run('dejafix_record_outcome', { outcome: 'abandoned', agent: 'copilot' });
      }
      used.editor = [];
      for (let k = 0; k < 4; k++) {
        const s = [next()!, next()!, next()!, next()!];
        used.editor.push(...s);
        const session = startSession({
          repo: 'github.com/acme/app',
          issue: { title: `Editor failure ${k}`, body: s[0].text },
          now: '2026-01-01T00:00:00.000Z',
        });
        const r1 = await recordAttempt(session, {
          command: s[1].text,
          exitCode: 1,
          outputTail: s[2].text,
          patch: s[3].text,
          by: 'human',
          at: '2026-01-01T00:01:00.000Z',
        });
        await mcp.store.upsertEpisodes([endSession(r1.state, 'failed', '2026-01-01T00:02:00.000Z')]);
      }
    } finally {
      await mcp.close();
    }

    const out = join(tmp.path, 'export.jsonl');
    const ex = await runCli(['export', '--store', store, '--out', out]);
    assert.equal(ex.code, 0, ex.stderr);
    const exported = readFileSync(out, 'utf8');
    const bytes = storeBytes(store);
    const report: string[] = [];
    for (const [where, secrets] of Object.entries(used)) {
      const inExport = leaksIn(exported, secrets);
      const onDisk = leaksIn(bytes, secrets);
      if (inExport.length || onDisk.length) report.push(`${where}: export ${inExport.join(', ')}; store ${onDisk.join(', ')}`);
    }
    assert.deepEqual(report, []);
    const total = Object.values(used).reduce((n, s) => n + s.length, 0);
    assert.ok(total >= 250, `${total} secrets placed`);
    const placeholders = (exported.match(/\[REDACTED:/g) ?? []).length;
    assert.ok(placeholders >= 150, `only ${placeholders} redactions in the export: the secrets did not reach the store`);

    // Ordinary snippets come back byte-identical (JSON-escaped in the export), and the scan sees stored text.
    for (const o of [...ordinary.slice(0, 40), ...ordinary.slice(40, 46)]) {
      assert.ok(exported.includes(JSON.stringify(o).slice(1, -1)), `ordinary snippet changed or lost: ${o}`);
    }
    const longest = ordinary[0].split('\n').sort((a, b) => b.length - a.length)[0];
    assert.ok(bytes.includes(longest), 'the byte scan finds stored text');
  });
});
