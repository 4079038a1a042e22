// The @dejafix chat participant's handler, driven directly with a fake ChatResponseStream and a
// real store (a chat model cannot be invoked in tests; plain questions are tested without one).
import * as assert from 'node:assert/strict';
import type { SessionState } from '../../src/core/capture/session';
import { insightsFor } from '../../src/core/store/queries';
import { ExperienceStore } from '../../src/core/store/store';
import { silentLogger } from '../../src/core/util/logger';
import { chatHandler, followups } from '../../src/vscode/agents/chatHandler';
import { escapeMd } from '../../src/vscode/agents/cards';
import { makeAttempt, makeEpisode, makeInsight } from '../helpers/records';
import { useTempDir } from '../helpers/tmp';

interface Part {
  kind: 'markdown' | 'button' | 'progress';
  value: unknown;
}

function fakeStream() {
  const parts: Part[] = [];
  return {
    parts,
    markdown: (v: unknown) => parts.push({ kind: 'markdown', value: typeof v === 'string' ? v : (v as { value: string }).value }),
    button: (v: unknown) => parts.push({ kind: 'button', value: v }),
    progress: (v: unknown) => parts.push({ kind: 'progress', value: v }),
    text: () =>
      parts
        .filter((p) => p.kind === 'markdown')
        .map((p) => p.value)
        .join(''),
  };
}

const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) } as never;
const REPO = 'github.com/acme/invoices';

describe('@dejafix chat handler', function () {
  this.timeout(60_000);
  const tmp = useTempDir();
  let store: ExperienceStore;
  let session: SessionState | undefined;

  beforeEach(async () => {
    store = await ExperienceStore.open(tmp.path);
    session = undefined;
    const ep = makeEpisode({
      id: 'ep-csv',
      issue: { title: 'TypeError when the date column is empty in the CSV export', body: 'Export crashes on empty dates.' },
      files: ['app/export.py'],
    });
    await store.upsertEpisodes([
      {
        ...ep,
        attempts: [
          makeAttempt('ep-csv', {
            command: 'pytest tests/test_export.py',
            exitCode: 1,
            outputTail: 'TypeError: NoneType',
            at: '2024-01-01T00:01:00.000Z',
          }),
          makeAttempt('ep-csv', {
            command: 'pytest tests/test_export.py',
            exitCode: 0,
            outcome: 'passed',
            outputTail: '3 passed',
            at: '2024-01-01T00:02:00.000Z',
          }),
        ],
      },
    ]);
    await store.upsertInsights([
      makeInsight({
        id: 'in-dates',
        text: 'Empty CSV date cells arrive as empty strings; check for them before parsing dates.',
        scope: REPO,
      }),
      makeInsight({
        id: 'in-prop',
        text: 'Proposed lesson about export date parsing waiting for approval.',
        scope: REPO,
        status: 'proposed',
      }),
    ]);
  });
  afterEach(() => store.close());

  // The cards' format on a one-repair store: threshold 0, so the one repair is shown whatever its relevance.
  const handler = (minRelevance = 0) =>
    chatHandler({
      store: async () => store,
      embedder: async () => undefined,
      session: () => session,
      repo: async () => REPO,
      k: () => 3,
      minRelevance: () => minRelevance,
      log: silentLogger,
    });

  it('/recall answers with the panel cards in Markdown, an Open Patch button and follow-ups', async () => {
    const s = fakeStream();
    const r = await handler()({ prompt: 'TypeError empty date column CSV export', command: 'recall' }, {}, s, token);
    assert.match(s.text(), /### 1\. \$\(pass\) TypeError when the date column is empty in the CSV export/);
    assert.match(s.text(), /did not work: ` pytest tests\/test_export\.py ` \(exit 1\)/);
    assert.match(s.text(), /worked: ` pytest tests\/test_export\.py `/);
    assert.match(s.text(), /\*\*Lessons\*\*[\s\S]*Empty CSV date cells/);
    assert.deepEqual(s.parts.find((p) => p.kind === 'button')?.value, {
      title: 'Open Patch',
      command: 'dejafix.openPatch',
      arguments: ['ep-csv'],
    });
    assert.deepEqual(r.metadata.episodes, ['ep-csv']);
    const f = followups(r);
    assert.deepEqual(
      f.map((x) => x.command),
      ['compose', 'insights'],
    );
  });

  it('/recall without text uses the open issue, and says what to do when there is none', async () => {
    const none = fakeStream();
    await handler()({ prompt: '  ', command: 'recall' }, {}, none, token);
    assert.match(none.text(), /Tell me the issue/);
    session = {
      id: 's1',
      repo: REPO,
      issue: { title: 'CSV export fails on empty date', body: '' },
      startedAt: '2024-02-01T00:00:00.000Z',
      attempts: [],
      source: 'editor',
    };
    const s = fakeStream();
    await handler()({ prompt: '', command: 'recall' }, {}, s, token);
    assert.match(s.text(), /TypeError when the date column is empty/);
  });

  it('/insights lists active and proposed lessons of the repository; /remember adds an active one', async () => {
    const s = fakeStream();
    await handler()({ prompt: '', command: 'insights' }, {}, s, token);
    assert.match(s.text(), /Empty CSV date cells/);
    assert.match(s.text(), /proposed — approve it in the Dejafix panel/);
    const short = fakeStream();
    await handler()({ prompt: 'too short', command: 'remember' }, {}, short, token);
    assert.match(short.text(), /A lesson is 12–400 characters/);
    const ok = fakeStream();
    await handler()({ prompt: 'review: Always run the export tests with an empty fixture row too.', command: 'remember' }, {}, ok, token);
    assert.match(ok.text(), /Remembered as a \*\*review\*\* lesson for github\\\.com\/acme\/invoices/);
    const saved = (await insightsFor(store, { roles: ['review'] }))[0];
    assert.equal(saved.status, 'active');
    assert.equal(saved.text, 'Always run the export tests with an empty fixture row too.');
  });

  it('/compose composes a prompt for the stage named first, fenced', async () => {
    const s = fakeStream();
    const r = await handler()({ prompt: 'reproduce TypeError in CSV export when a date is empty', command: 'compose' }, {}, s, token);
    assert.match(s.text(), /A \*\*reproduce\*\* prompt from 1 past repair/);
    assert.match(s.text(), /````+markdown\n/);
    assert.deepEqual(
      followups(r).map((f) => f.command),
      ['compose', 'recall'],
    );
  });

  it('escapes hostile memory text: no links, HTML or fence breaks from stored content', async () => {
    const evil = 'Crash [click](command:workbench.action.terminal.sendSequence) <img src=x onerror=alert(1)> ```';
    await store.upsertEpisodes([
      {
        ...makeEpisode({ id: 'ep-evil', issue: { title: `CSV export ${evil}`, body: 'csv export' } }),
        attempts: [makeAttempt('ep-evil', { command: 'pytest ``` [x](http://evil)', outputTail: '```\n# injected heading' })],
      },
    ]);
    const s = fakeStream();
    await handler()({ prompt: 'CSV export crash', command: 'recall' }, {}, s, token);
    const md = s.text();
    assert.ok(!md.includes('[click](command:'), 'no live command link');
    assert.doesNotMatch(md, /(?<!\\)<img/, 'no raw HTML: the angle bracket is escaped');
    assert.match(md, /\\<img/);
    assert.match(md, /````text\n```\n# injected heading\n````/, 'output fenced with a longer fence');
    assert.equal(escapeMd('a_b*c'), 'a\\_b\\*c');
  });

  it('a plain question without a chat model answers with the recall cards', async () => {
    const s = fakeStream();
    const r = await handler()({ prompt: 'why does the CSV export crash on empty dates?', command: undefined }, {}, s, token);
    assert.match(s.text(), /TypeError when the date column is empty/);
    assert.equal(r.metadata.command, 'recall');
  });
});
