// Dejafix's own JSONL format: one record per line, `{"kind": "episode", …}` or
// `{"kind": "insight", …}`, with the fields of the domain model. Export then import is lossless.
import { z } from 'zod';
import { episodeSchema, type Episode } from '../model/episode';
import { insightSchema, type Insight } from '../model/insight';
import { LineError, parseJson, validate, type Parsed } from './records';

const kindSchema = z.object({ kind: z.enum(['episode', 'insight']) });

export function parseDejafixLine(text: string): Parsed {
  const value = parseJson(text);
  const kind = kindSchema.safeParse(value);
  if (!kind.success) throw new LineError('each line needs "kind": "episode" or "insight"');
  const { kind: _kind, ...record } = value as Record<string, unknown>;
  if (kind.data.kind === 'episode') {
    const episode = validate(episodeSchema, record, 'episode');
    const stray = episode.attempts.find((a) => a.episodeId !== episode.id);
    if (stray) throw new LineError(`attempt ${stray.id} belongs to episode ${stray.episodeId}, not ${episode.id}`);
    return { episodes: [episode] };
  }
  return { insights: [validate(insightSchema, record, 'insight')] };
}

export function episodeLine(e: Episode): string {
  return JSON.stringify({ kind: 'episode', ...e });
}

export function insightLine(i: Insight): string {
  return JSON.stringify({ kind: 'insight', ...i });
}
