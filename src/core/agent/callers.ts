// Who is calling: the source recorded with an agent's attempts and episodes is `agent:<name>`,
// the name the agent gave, else the name its client announced, cleaned to a short plain word.
import { LIMITS } from './schemas';

const FALLBACK = 'unknown';

export function agentSource(given: string | undefined, announced: string | undefined): string {
  const pick = [given, announced].map(clean).find(Boolean) ?? FALLBACK;
  return `agent:${pick}`;
}

function clean(name: string | undefined): string {
  if (!name) return '';
  return name
    .toWellFormed()
    .toLowerCase()
    .replace(/^agent:/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, LIMITS.agent);
}
