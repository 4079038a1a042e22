// Episodes for benchmarks, built from the real SWE-bench Lite instances: each instance repeated
// with a new id, a later creation time and its issue body rotated, so that copies are distinct.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { episodeFromInstance } from '../src/core/ingest';
import type { Episode } from '../src/core/model';

export const LITE = join(__dirname, '../../shared/bench/swebench-lite.jsonl');

export function realEpisodes(): Episode[] {
  return readFileSync(LITE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => episodeFromInstance(JSON.parse(l)));
}

export function perturbedEpisodes(n: number, base = realEpisodes()): Episode[] {
  return Array.from({ length: n }, (_, i) => {
    const b = base[i % base.length];
    const copy = Math.floor(i / base.length);
    const words = b.issue.body.split(' ');
    const shift = copy % Math.max(1, words.length);
    return {
      ...b,
      id: `${b.id}-${copy}`,
      sourceId: `${b.sourceId}#${copy}`,
      issue: { title: `${b.issue.title} (${copy})`, body: [...words.slice(shift), ...words.slice(0, shift)].join(' ') },
      createdAt: new Date(Date.parse(b.createdAt) + copy * 3_600_000).toISOString(),
    };
  });
}
