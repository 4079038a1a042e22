// How old something is, in one wording for every surface: the panel's cards ("12 months ago")
// and the composed prompt ("12 months old") show the same number. The one file of src/shared the
// core may import (lint allows exactly this one), so it imports nothing; the webview uses it too.

const DAY = 86_400_000;

/** "today", "3 days", "5 weeks", "12 months", "2 years" (floored, so a count never runs ahead); undefined for a bad date. */
export function ageWords(fromIso: string, now: number): string | undefined {
  const t = Date.parse(fromIso);
  if (Number.isNaN(t)) return undefined;
  const days = Math.floor((now - t) / DAY);
  if (days < 0) return 'future';
  if (days < 1) return 'today';
  if (days < 14) return count(days, 'day');
  if (days < 60) return count(Math.floor(days / 7), 'week');
  if (days < 730) return count(Math.floor(days / 30.44), 'month');
  return count(Math.floor(days / 365.25), 'year');
}

/** "12 months ago" (or "today"). */
export function ageAgo(fromIso: string, now: number): string {
  const w = ageWords(fromIso, now);
  if (w === undefined) return 'unknown time';
  if (w === 'future') return 'dated in the future';
  return w === 'today' ? 'today' : `${w} ago`;
}

/** "12 months old" (or "from today"). */
export function ageOld(fromIso: string, now: number): string {
  const w = ageWords(fromIso, now);
  if (w === undefined) return 'unknown age';
  if (w === 'future') return 'dated in the future';
  return w === 'today' ? 'from today' : `${w} old`;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}
