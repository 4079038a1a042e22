// One episode recall is weighing: what ranking, diversity and the relevance evidence read about it.
// In its own file so the steps recall.ts calls (diverse, evidence) need not import recall.ts back.
import type { EpisodeOutcome } from '../model/episode';

export interface Candidate {
  id: string;
  sourceId: string | null;
  outcome: EpisodeOutcome;
  title: string;
  repo: string;
  createdAt: string;
  files: string[];
  symbols: string[];
  text: number;
  code: number;
}
