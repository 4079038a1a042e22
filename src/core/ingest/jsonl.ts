// Dejafix's own JSONL format: one record per line, `{"kind": "episode", …}` or
// `{"kind": "insight", …}`, with the fields of the domain model, and the store's feedback and
// recall log (`"feedback"`, `"recall"`: feedback/lines.ts). Export then import is lossless.
import { z } from 'zod';
import { episodeSchema, type Episode } from '../model/episode';
import { insightSchema, type Insight } from '../model/insight';
import { LineError, parseJson, validate, type Parsed } from './records';
import { feedbackLineSchema, feedbackRowOf, feedbackRowProblem, recallLineSchema, recallRowOf, recallRowProblem } from '../feedback/lines';

const kindSchema = z.object({ kind: z.enum(['episode', 'insight', 'feedback', 'recall']) });

export function parseDejafixLine(text: string): Parsed {
  const value = parseJson(text);
  const kind = kindSchema.safeParse(value);
  if (!kind.success) throw new LineError('each line needs "kind": "episode", "insight", "feedback" or "recall"');
  const { kind: _kind, ...record } = value as Record<string, unknown>;
  if (kind.data.kind === 'episode') {
    const episode = validate(episodeSchema, record, 'episode');
    const stray = episode.attempts.find((a) => a.episodeId !== episode.id);
    if (stray) throw new LineError(`attempt ${stray.id} belongs to episode ${stray.episodeId}, not ${episode.id}`);
    return { episodes: [episode] };
  }
  if (kind.data.kind === 'feedback') {
    const row = validate(feedbackLineSchema, record, 'feedback row');
    const problem = feedbackRowProblem(row);
    if (problem) throw new LineError(problem);
    return { feedback: [feedbackRowOf(row)] };
  }
  if (kind.data.kind === 'recall') {
    const row = validate(recallLineSchema, record, 'recall-log row');
    const problem = recallRowProblem(row);
    if (problem) throw new LineError(problem);
    return { recalls: [recallRowOf(row)] };
  }
  return { insights: [validate(insightSchema, record, 'insight')] };
}

export function episodeLine(e: Episode): string {
  return JSON.stringify({ kind: 'episode', ...e });
}

export function insightLine(i: Insight): string {
  return JSON.stringify({ kind: 'insight', ...i });
}
