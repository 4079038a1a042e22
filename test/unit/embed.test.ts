// The built-in embedder with the real model (Universal Sentence Encoder lite from npm): no stubs.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as workerThreads from 'node:worker_threads';
import { BuiltinEmbedder, BUILTIN_EMBEDDER_ID, EmbedError, createEmbedder, dot } from '../../src/core/embed';

function assertUnit(v: Float32Array, dims = 512): void {
  assert.ok(v instanceof Float32Array);
  assert.equal(v.length, dims);
  assert.ok(v.every(Number.isFinite), 'every component is finite');
  assert.ok(Math.abs(Math.sqrt(dot(v, v)) - 1) < 1e-5, `unit length (got ${Math.sqrt(dot(v, v))})`);
}

/** About 1 KB of issue text, different for each `i`. */
function issueText(i: number): string {
  const topics = ['date parsing', 'login redirect', 'cache invalidation', 'file upload', 'timezone offset', 'pagination'];
  const topic = topics[i % topics.length];
  return (
    `Issue ${i}: ${topic} fails in module ${i * 7}. Steps: open the settings page, change the ${topic} option, save. ` +
    `Expected the change to persist; instead a TypeError is thrown from handler${i}() at src/feature${i}.ts:${40 + i}. `
  ).repeat(4);
}

describe('embed: builtin model (real USE lite, in a worker)', () => {
  let embedder: BuiltinEmbedder;
  before(() => {
    embedder = new BuiltinEmbedder();
  });
  after(async () => {
    await embedder.dispose();
  });

  it('identifies itself and gives 512-d unit vectors', async () => {
    assert.equal(embedder.id, BUILTIN_EMBEDDER_ID);
    assert.equal(embedder.id, 'builtin:use-lite-512');
    assert.equal(embedder.dimensions, 512);
    const [v] = await embedder.embed(['TypeError when the date column is empty in the CSV export']);
    assertUnit(v);
  });

  it('puts paraphrases closer than unrelated issues', async () => {
    const [a, b, c] = await embedder.embed([
      'TypeError when the date column is empty in the CSV export',
      'CSV export crashes on a blank date field',
      'Login page redirect loops forever',
    ]);
    const paraphrase = dot(a, b);
    assert.ok(paraphrase > dot(a, c) + 0.1, `paraphrase ${paraphrase} vs unrelated ${dot(a, c)}`);
    assert.ok(paraphrase > dot(b, c) + 0.1, `paraphrase ${paraphrase} vs unrelated ${dot(b, c)}`);
  });

  it('returns [] for no texts without starting the model', async () => {
    const fresh = new BuiltinEmbedder();
    try {
      assert.deepEqual(await fresh.embed([]), []);
      assert.equal(fresh.workerThreadId, undefined);
    } finally {
      await fresh.dispose();
    }
  });

  it('embeds blank texts to one fixed vector', async () => {
    const [empty, spaces, word] = await embedder.embed(['', ' \n\t ', 'word']);
    assertUnit(empty);
    assertUnit(spaces);
    assert.ok(dot(empty, spaces) > 0.9999);
    assert.ok(dot(empty, word) < 0.99);
  });

  it('reads only the head of a 100 KB text (the model sees 128 tokens)', async () => {
    const head = 'TypeError: Cannot read properties of undefined (reading "getTime") in formatDate when exporting rows. ';
    const huge = head.repeat(40) + 'x'.repeat(100_000);
    assert.ok(huge.length > 100_000);
    const [v, headOnly] = await embedder.embed([huge, head.repeat(40)]);
    assertUnit(v);
    assert.ok(dot(v, headOnly) > 0.9999, `same as its head (${dot(v, headOnly)})`);
  });

  it('treats whitespace runs like one space', async () => {
    const [a, b] = await embedder.embed(['export fails\n\n   on empty\tdate', 'export fails on empty date']);
    assert.ok(dot(a, b) > 0.9999);
  });

  it('embeds non-English text', async () => {
    const texts = [
      'Der CSV-Export stürzt ab, wenn das Datumsfeld leer ist',
      'Экспорт в CSV падает, если поле даты пустое',
      'CSVエクスポートで日付列が空のときにTypeErrorが発生する',
      '导出 CSV 时日期为空导致崩溃 🙃',
    ];
    const vectors = await embedder.embed(texts);
    assert.equal(vectors.length, texts.length);
    for (const v of vectors) assertUnit(v);
  });

  it('batches many texts and keeps their order', async () => {
    const small = new BuiltinEmbedder({ batchSize: 8 });
    try {
      const texts = Array.from({ length: 45 }, (_, i) => `issue number ${i}: the ${['parser', 'button', 'cache'][i % 3]} breaks`);
      const all = await small.embed(texts);
      assert.equal(all.length, 45);
      for (const v of all) assertUnit(v);
      for (const i of [0, 7, 8, 23, 44]) {
        const [single] = await embedder.embed([texts[i]]);
        assert.ok(dot(all[i], single) > 0.9999, `text ${i} keeps its place`);
      }
      assert.ok(dot(all[0], all[1]) < 0.9999, 'different texts, different vectors');
    } finally {
      await small.dispose();
    }
  });

  it('rejects what is not an array of strings', async () => {
    await assert.rejects(embedder.embed('text' as unknown as string[]), TypeError);
    await assert.rejects(embedder.embed(['ok', 3 as unknown as string]), /item 1 is number/);
  });

  it('runs the model off the main thread: timers keep firing while it works', async () => {
    const texts = Array.from({ length: 64 }, (_, i) => issueText(i));
    let ticks = 0;
    let done = false;
    const timer = setInterval(() => {
      if (!done) ticks++;
    }, 1);
    try {
      const vectors = await embedder.embed(texts);
      done = true;
      assert.equal(vectors.length, 64);
    } finally {
      clearInterval(timer);
    }
    const threadId = embedder.workerThreadId;
    assert.equal(typeof threadId, 'number');
    assert.notEqual(threadId, workerThreads.threadId);
    // 64 long texts take the model seconds of CPU; on the caller's thread the timer could fire
    // only between batches (8 of them)
    assert.ok(ticks >= 20, `the timer fired ${ticks} times while embedding`);
  });

  it('stops when aborted and still works afterwards', async () => {
    const controller = new AbortController();
    const texts = Array.from({ length: 40 }, (_, i) => issueText(i));
    const aborted = assert.rejects(embedder.embed(texts, controller.signal), (e: Error) => e.name === 'AbortError');
    setImmediate(() => controller.abort());
    await aborted;
    await assert.rejects(embedder.embed(['x'], controller.signal), (e: Error) => e.name === 'AbortError');
    const [v] = await embedder.embed(['still works']);
    assertUnit(v);
  });
});

describe('embed: builtin dispose', () => {
  // Records the Workers the embedder starts. The compiled embedder reads `Worker` off the module
  // object when it starts one, so a subclass put there sees every worker it creates.
  const workerModule = createRequire(__filename)('node:worker_threads') as { Worker: typeof workerThreads.Worker };
  const RealWorker = workerModule.Worker;
  const started: workerThreads.Worker[] = [];
  before(() => {
    workerModule.Worker = class extends RealWorker {
      constructor(...args: ConstructorParameters<typeof RealWorker>) {
        super(...args);
        started.push(this);
      }
    };
  });
  after(() => {
    workerModule.Worker = RealWorker;
  });

  it('terminates the worker, fails calls in flight and refuses new ones', async () => {
    const embedder = new BuiltinEmbedder();
    await embedder.embed(['load the model']);
    assert.equal(started.length, 1, 'one worker started');
    const worker = started[0];
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));

    const inFlight = assert.rejects(
      embedder.embed(Array.from({ length: 40 }, (_, i) => issueText(i))),
      (e: unknown) => e instanceof EmbedError && e.code === 'disposed',
    );
    await embedder.dispose();
    await inFlight;
    await exited;
    assert.equal(worker.threadId, -1, 'the thread is gone');
    assert.equal(embedder.workerThreadId, undefined);
    await assert.rejects(embedder.embed(['again']), (e: unknown) => e instanceof EmbedError && e.code === 'disposed');
    await embedder.dispose(); // twice is fine
  });

  it('starts a fresh worker after the old one crashed', async () => {
    const embedder = new BuiltinEmbedder();
    try {
      await embedder.embed(['first']);
      const first = started[started.length - 1];
      const failed = assert.rejects(
        embedder.embed(Array.from({ length: 40 }, (_, i) => issueText(i))),
        (e: unknown) => e instanceof EmbedError && e.code === 'worker',
      );
      await first.terminate(); // as if it died
      await failed;
      const [v] = await embedder.embed(['after the crash']);
      assertUnit(v);
      assert.notEqual(started[started.length - 1], first, 'a new worker');
    } finally {
      await embedder.dispose();
    }
  });

  it('unloads the model when idle and loads it again when needed', async () => {
    const embedder = new BuiltinEmbedder({ idleUnloadMs: 20 });
    try {
      const [before] = await embedder.embed(['idle test']);
      const worker = started[started.length - 1];
      await new Promise<number>((resolve) => worker.once('exit', resolve));
      assert.equal(embedder.workerThreadId, undefined);
      const [after] = await embedder.embed(['idle test']);
      assert.notEqual(started[started.length - 1], worker, 'a new worker');
      assert.ok(dot(before, after) > 0.9999, 'the same model again');
    } finally {
      await embedder.dispose();
    }
  });

  it('explains a model that cannot be loaded', async () => {
    // resolving from / finds no node_modules with the model packages
    const embedder = new BuiltinEmbedder({ resolveFrom: '/nonexistent/dir/file.js' });
    try {
      await assert.rejects(
        embedder.embed(['x']),
        (e: unknown) =>
          e instanceof EmbedError && e.code === 'model-load' && /could not be loaded/.test(e.message) && /@energetic-ai/.test(e.message),
      );
    } finally {
      await embedder.dispose();
    }
  });

  it('is what createEmbedder gives by default', async () => {
    const embedder = createEmbedder({});
    try {
      assert.ok(embedder instanceof BuiltinEmbedder);
      assert.equal(embedder.id, 'builtin:use-lite-512');
    } finally {
      await embedder?.dispose();
    }
  });
});
