import { z } from 'zod';
import { EmbedError } from './errors';

/** The OpenAI embeddings response, as far as we rely on it (Ollama, LM Studio, vLLM, Voyage send the same). */
const responseSchema = z.object({
  data: z.array(
    z.object({
      embedding: z.array(z.number()).min(1),
      index: z.number().int().nonnegative().optional(),
    }),
  ),
  model: z.string().optional(),
  usage: z.unknown().optional(),
});

/**
 * The vectors of an embeddings response body, in input order. Rejects, with a message naming the
 * server, anything that is not exactly one finite vector per input, all of one length.
 */
export function parseEmbeddingsResponse(body: string, expected: number, baseUrl: string): number[][] {
  const bad = (why: string) =>
    new EmbedError('bad-response', `The embedding server at ${baseUrl} sent an invalid embeddings response: ${why}.`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const start = body.trim().slice(0, 40).replace(/\s+/g, ' ');
    throw bad(
      `it is not JSON (it starts with "${start}"); check that the base URL points at the OpenAI-compatible API, usually ending in /v1`,
    );
  }
  const parsed = responseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : 'the body';
    throw bad(`${where}: ${issue.message}`);
  }
  const data = parsed.data.data;
  if (data.length !== expected) throw bad(`${data.length} vectors for ${expected} texts`);

  const withIndex = data.filter((d) => d.index !== undefined).length;
  let ordered = data.map((d) => d.embedding);
  if (withIndex === data.length) {
    ordered = new Array<number[]>(expected);
    for (const d of data) {
      const i = d.index as number;
      if (i >= expected || ordered[i] !== undefined) throw bad(`the indexes are not 0…${expected - 1} (got ${i} twice or out of range)`);
      ordered[i] = d.embedding;
    }
  } else if (withIndex > 0) {
    throw bad('some vectors have an index and some do not');
  }

  const width = ordered[0]?.length;
  for (let i = 0; i < ordered.length; i++) {
    if (ordered[i].length !== width) throw bad(`vector ${i} has ${ordered[i].length} numbers, vector 0 has ${width}`);
  }
  return ordered;
}
