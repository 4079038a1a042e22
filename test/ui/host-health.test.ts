// Memory Health on the panel's host side, in plain Node: `health.run` streams progress and answers
// with the report or a plain reason, `health.cancel` stops the run, and "Show Memory Health" before
// the panel is listening is delivered when it is ready. The backend runs the real eval use case on
// the demo memory in a real LanceDB store (the same code as `dejafix eval`).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateMemory, EvalError } from '../../src/core/eval/evaluate';
import { importLines, lineParser, recentDatesParser } from '../../src/core/ingest';
import { ExperienceStore } from '../../src/core/store';
import type { ToWebview } from '../../src/shared/toWebview';
import { PanelController } from '../../src/vscode/panel/controller';
import { FakeBackend, RecordingLogger, hostSetup, sentOf } from './fakeBackend';

const DEMO = join(__dirname, '../../demo/memory.jsonl');

const setup = hostSetup;

const of = sentOf;

describe('panel host: Memory Health', function () {
  this.timeout(120_000);
  let dir: string;
  let store: ExperienceStore;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dejafix-health-'));
    store = await ExperienceStore.open(join(dir, 'store'));
    const parse = await recentDatesParser(DEMO, (await lineParser('jsonl')).parse, new Date());
    assert.equal((await importLines(store, DEMO, parse)).errors, 0);
  });
  after(() => {
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the eval use case on the demo memory: progress for every query, then the same report', async () => {
    const { backend, controller, sent } = setup();
    backend.healthScript = (signal, onProgress) => evaluateMemory(store, { minRelevance: 0.15, signal, onProgress });
    await controller.receive({ type: 'health.run', requestId: 'h1' });
    const expected = await evaluateMemory(store, { minRelevance: 0.15 });
    const progress = of(sent, 'health.progress');
    assert.equal(progress.length, expected.overall.queries + 1, 'one progress message before the first query and after each');
    assert.deepEqual(
      progress.map((p) => p.done),
      Array.from({ length: expected.overall.queries + 1 }, (_, i) => i),
    );
    assert.ok(progress.every((p) => p.requestId === 'h1' && p.total === expected.overall.queries));
    const [result] = of(sent, 'health.result');
    assert.deepEqual(result, { type: 'health.result', requestId: 'h1', report: expected });
    assert.ok(expected.overall.queries >= 3 && expected.repos.length === 3, JSON.stringify(expected.overall));
    assert.equal(of(sent, 'health.error').length, 0);
  });

  it('health.cancel stops a run between queries and answers "cancelled", not an error notice', async () => {
    const { backend, controller, sent, log } = setup();
    backend.healthScript = (signal, onProgress) =>
      evaluateMemory(store, {
        minRelevance: 0.15,
        signal,
        onProgress: (done, total) => {
          onProgress(done, total);
          if (done === 1) void controller.receive({ type: 'health.cancel', requestId: 'h2' });
        },
      });
    await controller.receive({ type: 'health.run', requestId: 'h2' });
    assert.deepEqual(of(sent, 'health.error'), [{ type: 'health.error', requestId: 'h2', problem: 'cancelled', message: 'Stopped.' }]);
    assert.equal(of(sent, 'health.result').length, 0);
    assert.ok(of(sent, 'health.progress').length <= 3, 'it went on after the cancel');
    assert.equal(of(sent, 'notice').length, 0);
    assert.ok(!log.lines.some((l) => l.startsWith('error')), log.lines.join('\n'));
  });

  it('nothing to measure is a plain answer; a failure is logged and worded as one', async () => {
    const { backend, controller, sent, log } = setup();
    backend.healthScript = async () => {
      throw new EvalError(
        'too-few',
        'too few episodes to evaluate the memory: none of the 1 resolved repairs has an earlier episode of its repository to recall',
      );
    };
    await controller.receive({ type: 'health.run', requestId: 'h3' });
    assert.deepEqual(
      of(sent, 'health.error').map((m) => [m.problem, m.message.slice(0, 20)]),
      [['nothing', 'too few episodes to ']],
    );
    backend.healthScript = async () => {
      throw new Error('Could not open the Dejafix store at /x: EACCES');
    };
    await controller.receive({ type: 'health.run', requestId: 'h4' });
    assert.deepEqual(of(sent, 'health.error').at(-1), {
      type: 'health.error',
      requestId: 'h4',
      problem: 'failed',
      message: 'Could not open the Dejafix store at /x: EACCES',
    });
    assert.ok(
      log.lines.some((l) => l.startsWith('error')),
      'the failure was not logged',
    );
  });

  it('"Show Memory Health" reaches a panel that is not listening yet: ready delivers it, health.run settles it', async () => {
    const backend = new FakeBackend();
    const controller = new PanelController(backend, new RecordingLogger());
    controller.openHealth(); // no panel attached: nothing to send to
    const sent: ToWebview[] = [];
    controller.attach((m) => sent.push(m));
    await controller.receive({ type: 'ready' });
    assert.deepEqual(
      sent.map((m) => m.type),
      ['state', 'health.open'],
    );
    backend.healthScript = async () => {
      throw new EvalError('empty', 'the memory holds no episodes: import or record some repairs first');
    };
    await controller.receive({ type: 'health.run', requestId: 'h5' });
    await controller.receive({ type: 'ready' });
    assert.equal(of(sent, 'health.open').length, 1, 'asked again after the panel already measured');
  });

  it('rejects malformed health messages without running anything', async () => {
    const { backend, controller, log } = setup();
    for (const bad of [
      { type: 'health.run' },
      { type: 'health.run', requestId: '<svg onload=x>' },
      { type: 'health.run', requestId: 'a', extra: 1 },
      { type: 'health.cancel', requestId: 'x'.repeat(10_000) },
    ]) {
      await controller.receive(bad);
    }
    assert.equal(backend.calls.filter((c) => c === 'memoryHealth').length, 0);
    assert.equal(log.lines.filter((l) => l.startsWith('warn panel: message rejected')).length, 4);
  });
});
