/**
 * Secret redaction, applied to every text before it is stored or sent to an LLM.
 *
 * Two detector families run over the original text and their spans are merged:
 * - the maintained secretlint recommend preset (secretlint.ts; loaded lazily, skipped when no
 *   preset rule could match), and
 * - our own rules for what the preset misses (patterns.ts, vendorTokens.ts and prefixedTokens.ts
 *   for token shapes, privateKey.ts (flatBlocks.ts for keys flattened onto one line), assignments.ts for
 *   secret-named values, codeCalls.ts for secrets passed to calls (positional.ts for those at a known place,
 *   callChains.ts for call chains and constructors, unnamedCalls.ts for generated ones in any call, fallbacks.ts for a lookup's default),
 *   commandLine.ts for flags and arguments (shellLines.ts joins continued lines), envSetters.ts for
 *   `Set-Item Env:X …` / `set -x X …`, configFiles.ts and secretBlocks.ts for credential files
 *   (blankDirectives.ts for `smtp_pass …` lines), dbCredentials.ts for SQL logins and Go DSNs,
 *   nameValuePairs.ts for `{"name": "API_KEY", "value": …}` settings, prose.ts for secrets given in a
 *   sentence, signedUrls.ts for a presigned URL's signature, encoded.ts for secrets inside base64, echoed.ts for a secret a command printed by name,
 *   notebooks.ts for a token a notebook cell printed, escaped.ts for secrets inside escaped string literals
 *   and percent-encoded runs).
 * Terminal control sequences (ANSI colours, OSC titles) are removed first, so a token split or
 * wrapped by colour codes is seen whole, and colours are kept nowhere.
 * Each merged span is replaced by `[REDACTED:<rule>]`. Redacting twice changes nothing.
 */
import { stripVTControlCharacters } from 'node:util';
import { findAssignments } from './assignments';
import { findBlankDirectives } from './blankDirectives';
import { findCallChainSecrets } from './callChains';
import { findCodeCallSecrets } from './codeCalls';
import { findCommandLineSecrets } from './commandLine';
import { findConfigFileSecrets } from './configFiles';
import { findDbCredentials } from './dbCredentials';
import { findEchoedSecrets } from './echoed';
import { findEncoded } from './encoded';
import { findEnvSetterSecrets } from './envSetters';
import { findEscaped } from './escaped';
import { findFallbackSecrets } from './fallbacks';
import { findFlatBlocks } from './flatBlocks';
import { findLinePrefixed } from './linePrefixed';
import { applyFindings, mergeHits } from './merge';
import { findNameValuePairs } from './nameValuePairs';
import { findShapes } from './patterns';
import { findSignedUrlSecrets } from './signedUrls';
import { findUnnamedCallSecrets } from './unnamedCalls';
import { findNotebookOutputs } from './notebooks';
import { findPrivateKeys } from './privateKey';
import { findProseSecrets } from './prose';
import { findWithSecretlint } from './secretlint';
import type { Hit, RedactResult } from './types';

export type { RedactFinding, RedactResult } from './types';

/** Hits from our own rules only (synchronous; exported for tests and diagnostics). */
export function findOwnHits(text: string): Hit[] {
  return [...plainHits(text), ...findEncoded(text, plainHitsAt), ...findEscaped(text, plainHitsAt), ...findLinePrefixed(text, plainHitsAt)];
}

function plainHits(text: string): Hit[] {
  return [
    ...findShapes(text),
    ...findPrivateKeys(text),
    ...findFlatBlocks(text),
    ...findAssignments(text),
    ...findCodeCallSecrets(text),
    ...findCallChainSecrets(text),
    ...findCommandLineSecrets(text),
    ...findConfigFileSecrets(text),
    ...findProseSecrets(text),
    ...findNameValuePairs(text),
    ...findDbCredentials(text),
    ...findEchoedSecrets(text),
    ...findEnvSetterSecrets(text),
    ...findUnnamedCallSecrets(text),
    ...findBlankDirectives(text),
    ...findNotebookOutputs(text),
    ...findFallbackSecrets(text),
    ...findSignedUrlSecrets(text),
  ];
}

function plainHitsAt(decoded: string, depth: number): Hit[] {
  return [
    ...plainHits(decoded),
    ...findEncoded(decoded, plainHitsAt, depth),
    ...findEscaped(decoded, plainHitsAt, depth),
    ...findLinePrefixed(decoded, plainHitsAt, depth),
  ];
}

/** Removes terminal control sequences (colours, cursor moves, OSC titles/links) and stray ESC/BEL bytes. */
export function stripTerminalCodes(text: string): string {
  if (!CONTROL.test(text)) return text;
  // No sequence stripVTControlCharacters removes spans a line break, so only the lines holding a
  // control character are rewritten (the same result as over the whole text, a fraction of the work).
  const parts: string[] = [];
  let at = 0;
  const find = new RegExp(CONTROL.source, 'g');
  let m: RegExpExecArray | null;
  while ((m = find.exec(text)) !== null) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    const nl = text.indexOf('\n', m.index);
    const end = nl < 0 ? text.length : nl;
    parts.push(text.slice(at, start), stripLine(text.slice(start, end)));
    at = end;
    if (nl < 0) break;
    find.lastIndex = nl;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function stripLine(line: string): string {
  return stripVTControlCharacters(line).replace(CONTROL_ALL, '');
}
// ESC, CSI and BEL left over after stripVTControlCharacters (a lone or cut-off sequence).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u001b\u009b\u0007]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');

/**
 * Replaces every secret in `text` with `[REDACTED:<rule>]`, after removing terminal control
 * sequences. `findings` are sorted, non-overlapping, one per placeholder, with offsets into the
 * input without its control sequences (the input itself when it had none).
 * Rejects only if the secretlint rule set cannot be loaded (fail closed: do not store the text).
 */
export async function redact(input: string): Promise<RedactResult> {
  const text = stripTerminalCodes(input);
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
