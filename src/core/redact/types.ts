/** One redacted span, as reported to callers. Offsets are UTF-16 indices into the ORIGINAL text. */
export interface RedactFinding {
  /** Short rule id, the same one that appears in the `[REDACTED:<rule>]` placeholder. */
  rule: string;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface RedactResult {
  /** The text with every secret replaced by `[REDACTED:<rule>]`. */
  text: string;
  /** Sorted by `start`, never overlapping; one entry per placeholder in `text`. */
  findings: RedactFinding[];
}

/**
 * How much we trust a detector's label when two detections overlap. The merged span always
 * covers both; only the placeholder's label is chosen by rank.
 * - `shape`: the value itself has a recognisable format (ghp_…, AKIA…, a PEM block).
 * - `name`: we only know it is secret because of the variable/header it is assigned to.
 * - `weakName`: name-based detections from the secretlint preset (label `env` reads better).
 */
export const rank = { weakName: 0, name: 1, shape: 2 } as const;

/** A raw detection before overlapping detections are merged. */
export interface Hit {
  rule: string;
  start: number;
  end: number;
  rank: number;
}

/** Builds the placeholder written in place of a secret. */
export const placeholder = (rule: string): string => `[REDACTED:${rule}]`;

/** A token-shape rule (patterns.ts, vendorTokens.ts). */
export interface ShapeRule {
  rule: string;
  /** Skip the regex unless the text contains this (cheap `includes`/`test` pre-check). */
  probe: string | RegExp;
  /** Must have the `g` flag, and `d` when `group` is set. */
  re: RegExp;
  /** Capture group to redact; default the whole match. */
  group?: number;
  /**
   * For a regex that starts with a character class (so the engine tries every position): literals
   * every match holds at a fixed offset from its start. Matches are then looked for only at those
   * starts (found with `indexOf`), with the same regex made sticky: the same matches, far fewer tries.
   */
  anchors?: readonly { literal: string; offset: number }[];
  /** Extra check on the redacted value. */
  accept?: (value: string) => boolean;
  /** The label of one match (several vendors in one regex); undefined rejects the match. */
  label?: (m: RegExpExecArray) => string | undefined;
  rank?: number;
}

export const B = '(?<![A-Za-z0-9_])'; // start of a token (`run-ghp_…` counts)
export const E = '(?![A-Za-z0-9_-])'; // end of a token
