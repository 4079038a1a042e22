import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { composeFrom, composePrompt, type ComposedPrompt, type ComposeRequest } from '../../src/core/compose';
import { recall } from '../../src/core/recall/recall';
import { recallInsights } from '../../src/core/recall/insights';
import type { ExperienceStore } from '../../src/core/store';
import { COMPOSE_FIXTURES, NOW, REPO, storeFrom } from '../fixtures/compose/store';
import { makeEpisode, makeAttempt } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

const GOLDEN = join(COMPOSE_FIXTURES, 'golden');
/** `DEJAFIX_UPDATE_GOLDEN=1` rewrites the golden files (then review the diff). */
const UPDATE = process.env.DEJAFIX_UPDATE_GOLDEN === '1';

const issue = {
  title: 'CSV export crashes for draft invoices',
  body: 'TypeError when the date column is empty in the CSV export',
  repo: REPO,
};

const cases: Record<string, ComposeRequest> = {
  reproduce: { stage: 'reproduce', issue, budget: 3000 },
  fix: {
    stage: 'fix',
    issue,
    budget: 8000,
    workspace: {
      errorOutput:
        "Traceback (most recent call last):\n  File \"invoice_service/export/csv_export.py\", line 46, in _row_for\nTypeError: unsupported operand type(s) for -: 'datetime.date' and 'NoneType'",
    },
  },
  review: {
    stage: 'review',
    issue,
    budget: 4000,
    workspace: {
      diff: 'diff --git a/invoice_service/export/csv_export.py b/invoice_service/export/csv_export.py\n--- a/invoice_service/export/csv_export.py\n+++ b/invoice_service/export/csv_export.py\n@@ -46 +46 @@ def _row_for(invoice):\n-        "days_to_pay": (invoice.due_on - invoice.issued_on).days,\n+        "days_to_pay": 0 if invoice.issued_on is None else (invoice.due_on - invoice.issued_on).days,',
    },
  },
  chat: {
    stage: 'chat',
    budget: 2000,
    issue: { body: 'The dashboard polls /api/metrics twice per interval after I switch tabs', repo: 'github.com/acme/web-dashboard' },
    workspace: {
      selection: 'useEffect(() => { const id = setInterval(poll, 30_000); }, [visible]);',
      openFile: { path: 'src/hooks/useMetrics.ts' },
    },
  },
};

function meta(p: ComposedPrompt) {
  return { tokens: p.tokens, budget: p.budget, limit: p.limit, overBudget: p.overBudget, trimmed: p.trimmed, used: p.used };
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (UPDATE || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (DEJAFIX_UPDATE_GOLDEN=1 rewrites it)`);
}

describe('compose: stage-aware prompts from a fixed store (golden)', function () {
  const tmp = useTempDir();
  let store: ExperienceStore;
  beforeEach(async () => {
    store = await storeFrom(join(tmp.path, 'store'));
  });
  afterEach(() => store.close());

  for (const [stage, request] of Object.entries(cases)) {
    it(`${stage}: stable output, within the budget`, async () => {
      const p = await composePrompt(store, request, { now: NOW, minRelevance: 0 });
      golden(`${stage}.md`, p.markdown);
      golden(`${stage}.json`, `${JSON.stringify(meta(p), null, 2)}\n`);
      assert.equal(p.stage, stage);
      assert.ok(!p.overBudget && p.tokens <= p.limit, `${p.tokens} > ${p.limit}`);
      assert.ok(p.messages[0].content.includes(request.issue.body), 'the issue is in the user message, whole');
      assert.ok(p.markdown.includes(p.system) && p.markdown.includes(p.messages[0].content));
      const again = await composePrompt(store, request, { now: NOW, minRelevance: 0 });
      assert.deepEqual(again, p, 'the same store, request and now give the same prompt');
    });
  }

  it('formats each stage after ExpeRepair: reproduction tests, wrong → correct patches, accepted and rejected patches', async () => {
    const reproduce = await composePrompt(store, cases.reproduce, { now: NOW, minRelevance: 0 });
    assert.match(reproduce.messages[0].content, /Reproduction test:\n```diff\n/);
    assert.match(reproduce.messages[0].content, /The issue showed when it ran `[^`]+`, exit 1:/);
    const fix = await composePrompt(store, cases.fix, { now: NOW, minRelevance: 0 });
    const content = fix.messages[0].content;
    const wrong = content.indexOf('Wrong patch 1 (failed;');
    const right = content.indexOf('Correct patch (after the wrong ones above)');
    assert.ok(wrong > 0 && right > wrong, 'the failed attempt comes before the passing patch');
    const review = await composePrompt(store, cases.review, { now: NOW, minRelevance: 0 });
    assert.match(review.messages[0].content, /Accepted patch \(the repair ended resolved; tests passed: ran `/);
    assert.match(review.messages[0].content, /Rejected patch 1 \(failed; by /);
    assert.match(review.messages[0].content, /Current diff:\n```diff\n/);
  });

  it('shows each stage only the lessons of its role (and general ones), numbered, with age and evidence', async () => {
    const insights = new Map((await store.insights()).map((i) => [i.id, i]));
    for (const request of Object.values(cases)) {
      const p = await composePrompt(store, request, { now: NOW, minRelevance: 0 });
      const role = request.stage === 'chat' ? 'general' : request.stage;
      for (const id of p.used.insights) assert.ok([role, 'general'].includes(insights.get(id)!.role), `${id} shown for ${request.stage}`);
    }
    const fix = await composePrompt(store, cases.fix, { now: NOW, minRelevance: 0 });
    assert.deepEqual(fix.used.insights, ['demo-in-01']);
    assert.match(
      fix.system,
      /<dejafix-lessons role="fix">\n1\. In CSV export rows, a missing date is an empty cell: .* \(fix; 4 months old; importance 3; github\.com\/acme\/invoice-service; from 2 repairs \(demo-ep-01, demo-ep-02\), files `invoice_service\/export\/csv_export\.py`/,
    );
  });

  it('composeFrom (no store) gives the same prompt as composePrompt for the same recalled memories', async () => {
    const text = `${issue.title}\n${issue.body}`;
    const hits = await recall(store, { text, repo: REPO, k: 6, minRelevance: 0 });
    const episodes = [];
    for (const hit of hits) episodes.push({ episode: (await store.getEpisode(hit.episodeId))!, hit });
    const insights = await recallInsights(store, { text, repo: REPO, k: 20 });
    const pure = await composeFrom({ episodes, insights }, cases.reproduce, { now: NOW });
    const viaStore = await composePrompt(store, cases.reproduce, { now: NOW, minRelevance: 0 });
    assert.equal(pure.markdown, viaStore.markdown);
  });

  it('leaves out an excluded episode (the one being worked on)', async () => {
    const all = await composePrompt(store, cases.fix, { now: NOW, minRelevance: 0 });
    const without = await composePrompt(store, cases.fix, { now: NOW, minRelevance: 0, exclude: [all.used.episodes[0]] });
    assert.ok(!without.used.episodes.includes(all.used.episodes[0]));
    assert.ok(!without.messages[0].content.includes(`id="${all.used.episodes[0]}"`));
  });
});

describe('compose: the result is Anthropic Messages API input', () => {
  let server: Server;
  let received: { path?: string; body?: Record<string, unknown> } = {};
  before(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received = { path: req.url, body: JSON.parse(raw) as Record<string, unknown> };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_test',
            type: 'message',
            role: 'assistant',
            model: 'claude-test',
            stop_reason: 'end_turn',
            stop_sequence: null,
            content: [{ type: 'text', text: 'ok' }],
            usage: { input_tokens: 10, output_tokens: 1 },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('passes system and messages to the real SDK unchanged', async () => {
    const ep = makeEpisode({ id: 'sdk-1', attempts: [] });
    ep.attempts = [makeAttempt('sdk-1')];
    const p = await composeFrom(
      { episodes: [{ episode: ep }], insights: [] },
      { stage: 'fix', issue: { body: 'Something breaks in f()' } },
      { now: NOW },
    );
    // Type-checked: the prompt's fields are assignable to the SDK's own parameter type.
    const params: MessageCreateParamsNonStreaming = { model: 'claude-test', max_tokens: 64, system: p.system, messages: p.messages };
    const { port } = server.address() as AddressInfo;
    const client = new Anthropic({ apiKey: 'test-key', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const reply = await client.messages.create(params);
    assert.equal(reply.content[0].type, 'text');
    assert.equal(received.path, '/v1/messages');
    assert.equal(received.body?.system, p.system);
    assert.deepEqual(received.body?.messages, [{ role: 'user', content: p.messages[0].content }]);
  });
});
