// Rewrites a TF.js model folder (model.json + weight shards) in place with its float32 weights stored
// as float16: the manifest marks them `quantization: { dtype: 'float16' }` and TF.js turns them back
// into float32 when it loads the model (decodeWeights in @tensorflow/tfjs-core). Halves the offline
// embedding model in the VSIX. Other dtypes (int32 shapes…) and already quantised weights are copied.
import { Buffer } from 'node:buffer';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BYTES = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, uint16: 2 };
const SHARD_BYTES = 4 * 1024 * 1024; // as the TF.js converter writes them

/** IEEE 754 binary32 bits → binary16 bits, rounding to nearest even; NaN stays NaN, overflow → ±Infinity. */
export function float32BitsToFloat16(bits) {
  const sign = (bits >>> 16) & 0x8000;
  const raw = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (raw === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const exp = raw - 127 + 15;
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign; // below half the smallest subnormal
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (rest > halfway || (rest === halfway && half & 1) ? half + 1 : half);
  }
  const half = (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // a carry out of the mantissa correctly bumps the exponent (up to Infinity)
  return sign | (rest > 0x1000 || (rest === 0x1000 && half & 1) ? half + 1 : half);
}

/**
 * Smaller tensors (biases, layer-norm scales, scalars) stay float32: they weigh a few KB in all and
 * hold the constants that float16 would distort most, e.g. the -1e9 attention padding bias.
 */
const MIN_ELEMENTS = 4096;

/** The float16 bits of `src` (float32 bits), or `undefined` when a finite value is beyond ±65504. */
function toFloat16(src) {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    out[i] = float32BitsToFloat16(src[i]);
    if ((out[i] & 0x7c00) === 0x7c00 && (src[i] & 0x7f800000) !== 0x7f800000) return undefined;
  }
  return out;
}

const elements = (shape) => shape.reduce((a, b) => a * b, 1);

/** Converts `modelDir/model.json` and its shards in place; returns `{ before, after, converted }` (bytes, weight count). */
export function convertModelToFloat16(modelDir) {
  const manifestPath = join(modelDir, 'model.json');
  const model = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (!Array.isArray(model.weightsManifest)) throw new Error(`${manifestPath} has no weightsManifest`);
  let before = 0,
    after = 0,
    converted = 0;
  model.weightsManifest.forEach((group, g) => {
    const data = Buffer.concat(group.paths.map((p) => readFileSync(join(modelDir, p))));
    before += data.length;
    const parts = [];
    let offset = 0;
    for (const w of group.weights) {
      const stored = w.quantization?.dtype ?? w.dtype;
      if (!(stored in BYTES))
        throw new Error(`${manifestPath}: weight ${w.name} has dtype ${stored}, which this converter does not handle`);
      const size = elements(w.shape) * BYTES[stored];
      if (offset + size > data.length) throw new Error(`${manifestPath}: the shards of group ${g + 1} end inside weight ${w.name}`);
      const bytes = data.subarray(offset, offset + size);
      offset += size;
      if (w.dtype !== 'float32' || w.quantization) {
        parts.push(bytes);
        continue;
      }
      const src = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size));
      const out = src.length >= MIN_ELEMENTS ? toFloat16(src) : undefined;
      if (!out) {
        parts.push(bytes);
        continue;
      }
      parts.push(Buffer.from(out.buffer));
      w.quantization = { dtype: 'float16' };
      converted++;
    }
    if (offset !== data.length) throw new Error(`${manifestPath}: group ${g + 1} has ${data.length - offset} bytes no weight describes`);
    const packed = Buffer.concat(parts);
    after += packed.length;
    for (const p of group.paths) rmSync(join(modelDir, p));
    const count = Math.max(1, Math.ceil(packed.length / SHARD_BYTES));
    group.paths = Array.from({ length: count }, (_, i) => `group${g + 1}-shard${i + 1}of${count}`);
    group.paths.forEach((p, i) => writeFileSync(join(modelDir, p), packed.subarray(i * SHARD_BYTES, (i + 1) * SHARD_BYTES)));
  });
  writeFileSync(manifestPath, JSON.stringify(model));
  return { before, after, converted };
}
