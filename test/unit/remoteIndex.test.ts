// Index builds on object storage race each other: three connections bring the vector index of one
// team table up to date at the same moment while others append to it, on the S3 server with
// conditional writes (strict s3rver) and on Azurite. The losers of a commit race retry with backoff
// or find the index the winner built: every call succeeds, exactly one vector index exists, no row
// is lost, and search through the index finds each probe's own row.
import assert from 'node:assert/strict';
import { ExperienceStore } from '../../src/core/store';
import { VECTOR_INDEX_MIN_ROWS, VectorTable, type VectorRow } from '../../src/core/store/vectors';
import { startAzurite, startS3rver, type Azurite, type S3Server } from '../helpers/remoteBackends';

const DIMS = 128;
const MODEL = 'test:index-race';

/** A deterministic pseudo-random unit vector per seed (xorshift), so probes are reproducible and distinct. */
function unitVector(seed: number): Float32Array {
  let x = (seed * 2654435761) >>> 0 || 1;
  const v = new Float32Array(DIMS);
  let norm = 0;
  for (let i = 0; i < DIMS; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    v[i] = x / 0xffffffff - 0.5;
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  return v.map((y) => y / norm);
}

function rows(from: number, count: number): VectorRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: `ep_${i}`,
      repo: `team/r${i % 7}`,
      createdAt: `2025-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
      textHash: `h${i}`,
      vector: unitVector(i + 1),
    };
  });
}

describe('vector index builds racing on object storage (strict S3, Azurite)', function () {
  this.timeout(600_000);
  let s3: S3Server;
  let az: Azurite;

  before(async () => {
    [s3, az] = await Promise.all([startS3rver(['team'], { strict: true }), startAzurite()]);
    await az.createContainer('team');
  });
  after(async () => {
    await Promise.all([s3?.stop(), az?.stop()]);
  });

  for (const backend of ['s3', 'az'] as const) {
    it(`${backend}://: three connections build the vector index at once while two others append: all succeed, one index, nothing lost`, async () => {
      const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true', ...(backend === 's3' ? s3.env : az.env) };
      const uri = `${backend}://team/index-race`;
      const open = () => ExperienceStore.open(uri, { remote: { env } });
      const seed = await open();
      const stores: ExperienceStore[] = [seed];
      try {
        await new VectorTable(seed, MODEL).upsert(rows(0, VECTOR_INDEX_MIN_ROWS));
        for (let i = 0; i < 4; i++) stores.push(await open());
        const [b1, b2, b3, w1, w2] = stores;
        const appends = async (s: ExperienceStore, from: number) => {
          for (let k = 0; k < 3; k++) await new VectorTable(s, MODEL).upsert(rows(from + k * 20, 20));
        };
        const results = await Promise.allSettled([
          new VectorTable(b1, MODEL).ensureIndex(),
          new VectorTable(b2, MODEL).ensureIndex(),
          new VectorTable(b3, MODEL).ensureIndex(),
          appends(w1, 10_000),
          appends(w2, 20_000),
        ]);
        const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`#${i}: ${String(r.reason).slice(0, 300)}`] : []));
        assert.deepEqual(failed, [], 'every index build and every append succeeds');
        assert.deepEqual(
          results.slice(0, 3).map((r) => (r as PromiseFulfilledResult<boolean>).value),
          [true, true, true],
        );

        const check = await open();
        stores.push(check);
        const table = (await check.extraTable(new VectorTable(check, MODEL).name))!;
        const indices = (await table.listIndices()).filter((i) => i.columns.includes('vector'));
        assert.equal(indices.length, 1, JSON.stringify(indices));
        assert.equal(await table.countRows(), VECTOR_INDEX_MIN_ROWS + 120);
        // Rows from before the index, and appended during the race, are each found first by their own vector.
        const vt = new VectorTable(check, MODEL);
        for (const i of [0, 1234, 4999, 10_000, 10_059, 20_041]) {
          const hits = await vt.nearest(unitVector(i + 1), [], 3);
          assert.equal([...hits.keys()][0], `ep_${i}`, `probe ep_${i}: ${[...hits.keys()].join(', ')}`);
        }
      } finally {
        stores.forEach((s) => s.close());
      }
    });
  }
});
