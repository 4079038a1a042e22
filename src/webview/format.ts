// Small formatters for the panel: ages, durations, counts, token estimates.
import { ageAgo } from '../shared/age';

/** "12 months ago": how long ago an ISO time was, worded as in the composed prompt ("12 months old"). */
export function age(iso: string, now = Date.now()): string {
  return ageAgo(iso, now);
}

/** "45 s", "12 min", "3 h", "5 d", "4 mo", "2 y". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const hours = Math.round(min / 60);
  if (hours < 48) return `${hours} h`;
  const days = Math.round(hours / 24);
  if (days < 60) return `${days} d`;
  const months = Math.round(days / 30);
  return months < 24 ? `${months} mo` : `${Math.round(days / 365)} y`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Rough token count for text the user edited (the host counts the composed prompt exactly). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Where a memory came from, for its badge: "yours", "imported", "from the repository", "from teammate Ann (…)". */
export function originLabel(origin: string): string {
  if (origin === 'you') return 'yours';
  if (origin === 'import') return 'imported';
  if (origin.startsWith('repository')) return 'from the repository (.dejafix/)';
  return `from ${origin}`;
}

/** Only the user's own records (and imports) can be shared; teammates' and the repository's already are. */
export function shareable(origin: string | undefined): boolean {
  return origin === undefined || origin === 'you' || origin === 'import';
}
