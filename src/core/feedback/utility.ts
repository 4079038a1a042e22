// The utility prior: how much a memory's track record lifts or lowers it in ranking. Pure functions
// over credit rows (see feedback.ts), so the rule is easy to test and to explain:
//   - every credit decays with age (half-life HALF_LIFE_DAYS): what helped a year ago counts half;
//   - utility u = (helped − harmed) / (helped + harmed + used-only + PRIOR_WEIGHT), in (−1, 1):
//     the PRIOR_WEIGHT pseudo-sessions of "no evidence" keep one click from meaning much;
//   - the ranking score is multiplied by MAX_LIFT^u, so a memory is lifted or lowered by at most
//     that factor however many sessions agree (a good repair is never buried by one "not relevant").
// Relevance (the calibrated probability) is not touched: the threshold stays about the code.

/** A credit with a year of age counts 1/2^(365/HALF_LIFE_DAYS). */
export const HALF_LIFE_DAYS = 180;
/** Pseudo-sessions of no evidence: with 1 harm, u = −1/4 (score × 0.94); with 4 helps, u = 4/7 (× 1.16). */
export const PRIOR_WEIGHT = 3;
/** The most a track record can multiply (or, inverted, divide) a ranking score by. */
export const MAX_LIFT = 1.3;

export type CreditKind = 'helped' | 'harmed' | 'used';

export interface Credit {
  kind: CreditKind;
  at: string;
}

export interface Utility {
  /** Decayed sums. */
  helped: number;
  harmed: number;
  used: number;
  /** Undecayed counts, for words ("helped 3 of 4 times"). */
  helpedCount: number;
  /** Sessions in which the memory was used or judged (helped + harmed + used without resolving). */
  times: number;
  /** In (−1, 1); 0 without evidence. */
  u: number;
  /** The ranking score multiplier, in [1/MAX_LIFT, MAX_LIFT]. */
  factor: number;
}

export const NO_UTILITY: Utility = { helped: 0, harmed: 0, used: 0, helpedCount: 0, times: 0, u: 0, factor: 1 };

export function decay(at: string, now: number): number {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return 0;
  const days = Math.max(0, (now - t) / 86_400_000);
  return 0.5 ** (days / HALF_LIFE_DAYS);
}

export function utilityOf(credits: readonly Credit[], now = Date.now()): Utility {
  if (!credits.length) return NO_UTILITY;
  let helped = 0;
  let harmed = 0;
  let used = 0;
  let helpedCount = 0;
  for (const c of credits) {
    const w = decay(c.at, now);
    if (c.kind === 'helped') {
      helped += w;
      helpedCount++;
    } else if (c.kind === 'harmed') harmed += w;
    else used += w;
  }
  const u = (helped - harmed) / (helped + harmed + used + PRIOR_WEIGHT);
  return { helped, harmed, used, helpedCount, times: credits.length, u, factor: MAX_LIFT ** u };
}

/** "helped 3 of 4 times", or undefined when the memory was never used or judged. */
export function utilityWords(u: Pick<Utility, 'helpedCount' | 'times'>): string | undefined {
  if (!u.times) return undefined;
  return `helped ${u.helpedCount} of ${u.times} time${u.times === 1 ? '' : 's'}`;
}
