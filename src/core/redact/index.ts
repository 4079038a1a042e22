/**
 * Secret redaction, applied to every text before it is stored or sent to an LLM.
 *
 * Two detector families run over the original text and their spans are merged:
 * - the maintained secretlint recommend preset (secretlint.ts; loaded lazily, skipped when no
 *   preset rule could match), and
 * - our own rules for what the preset misses (patterns.ts, privateKey.ts, assignments.ts).
 * Each merged span is replaced by `[REDACTED:<rule>]`. Redacting twice changes nothing.
 */
import { findAssignments } from './assignments';
import { applyFindings, mergeHits } from './merge';
import { findShapes } from './patterns';
import { findPrivateKeys } from './privateKey';
import { findWithSecretlint } from './secretlint';
import type { Hit, RedactResult } from './types';

export type { RedactFinding, RedactResult } from './types';

/** Hits from our own rules only (synchronous; exported for tests and diagnostics). */
export function findOwnHits(text: string): Hit[] {
  return [...findShapes(text), ...findPrivateKeys(text), ...findAssignments(text)];
}

/**
 * Replaces every secret in `text` with `[REDACTED:<rule>]`. `findings` are sorted,
 * non-overlapping, one per placeholder, with offsets into the ORIGINAL text.
 * Rejects only if the secretlint rule set cannot be loaded (fail closed: do not store the text).
 */
export async function redact(text: string): Promise<RedactResult> {
  if (text.length === 0) return { text, findings: [] };
  const hits = [...(await findWithSecretlint(text)), ...findOwnHits(text)];
  return applyFindings(text, mergeHits(hits, text.length));
}

/** `redact` over many texts, keeping order; returns only the redacted texts. */
export async function redactAll(texts: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of texts) out.push((await redact(t)).text);
  return out;
}
