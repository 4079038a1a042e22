// The checkout's say in recall (workspace/codeIndex.ts ranks all its files for the issue once):
// its best files bring in the repairs that touched them and lift their ranking score a bounded
// amount, and every hit of its repository carries where its file stands (evidence.ts → relevance).
import { sameRepository } from '../capture/repoId';
import { isTestPath } from '../model/patch';
import { localizeBoth, rankFiles, workspaceRank, type WorkspaceRank } from '../workspace/codeIndex';
import type { WorkspaceCode } from '../workspace/workspaceCode';

/**
 * Its best WS_FILES files for the issue pull in the repairs that touched them, and such a repair's
 * score gains W_WS × its file's share of the best file's localization score (on recall's e scale,
 * where a perfect text + code + meaning match is 2). Chosen on the OLDER 60% of SWE-bench Lite among
 * 1, 2, 3, 5 files and weights 0.5, 1, 2: 2 and 1 gave the best Recall@5 there (0.845, from 0.814
 * without; the newer part, never used to choose: 0.639 → 0.752). The files are ranked by the names
 * they define, path parts and pointers, without the content match (codeIndex.ts, CONTENT): with it,
 * the best of the same grid on the older part was no better (0.870 either way in bench/ranking runs
 * with k 5, a temporary knob) and the newer part lost (0.821 → 0.744–0.795), so the content match informs relevance
 * (where a hit's file stands) but does not pick the files that bring repairs in.
 */
const WS_FILES = 2;
const W_WS = 1;
/**
 * A repair of a file being changed in the checkout (workspace/editing.ts) is brought in the same way
 * and gains as much as the checkout's best file for the issue. bench:editing, older part of Lite's
 * queries each asked with a failed agent attempt's files as the changes, among weights 0, 0.5, 1, 2:
 * Recall@5 without a threshold 0.827 with 0, 0.838 with each of the others (the threshold's figures
 * barely move: relevance, not the rank, decides what is shown).
 */
const W_EDIT = 1;

export interface WorkspaceRanking {
  repo: string;
  /**
   * Where a hit's (non-test) files stand among all the checkout's files; absent when the issue matches none,
   * undefined for a hit none of whose files the checkout holds (it can say nothing about that repair).
   */
  of?: (files: readonly string[]) => WorkspaceRank | undefined;
  /** The checkout's changed source files; absent when there are none (or it is unknown). */
  editing?: ReadonlySet<string>;
  /** The checkout's best WS_FILES files for the issue and its changed files: recall fetches the repairs that touched them. */
  top: string[];
  /** What a candidate's ranking score gains (0 for another repository's, or a file outside the best). */
  boost: (c: { repo: string; files: readonly string[] }) => number;
  /** The candidate's file the checkout ranks best for the issue (none for another repository's). */
  bestFile: (c: { repo: string; files: readonly string[] }) => string | undefined;
}

/**
 * Ranks the workspace's files for the issue once; each hit's files are then looked up. An issue that
 * matches no file of the checkout at all (no name, path part or pointer) gets no ranking evidence:
 * the checkout then says nothing about any repair, rather than "not this file" about every one. Nor
 * does it about a repair none of whose files it holds (moved, deleted, a partial checkout): with the
 * content match nearly every issue matches some file, and a repair it cannot see is not a loser. Its
 * changed files speak for themselves.
 */
export function workspaceRanking(ws: WorkspaceCode | undefined, text: string): WorkspaceRanking | undefined {
  if (!ws) return undefined;
  const { all: scores, named } = localizeBoth(ws.index, text);
  const changed = (ws.editing ?? []).filter((p) => !isTestPath(p));
  if (scores.size === 0 && changed.length === 0) return undefined;
  const ranked = rankFiles(scores);
  const namedRanked = rankFiles(named);
  const editing = changed.length ? new Set(changed) : undefined;
  const { held } = ws.index;
  const of = scores.size
    ? (files: readonly string[]) => (files.some((f) => held.has(f)) ? workspaceRank(files, scores, ranked) : undefined)
    : undefined;
  const rankOf = (f: string) => (editing?.has(f) ? 0 : (ranked.rankOf.get(f) ?? Infinity));
  return {
    repo: ws.repo,
    of,
    editing,
    top: [...[...namedRanked.rankOf].filter(([, r]) => r <= WS_FILES).map(([f]) => f), ...changed],
    boost: (c) => {
      if (!sameRepository(c.repo, ws.repo)) return 0;
      const own = c.files.filter((p) => !isTestPath(p));
      const r = named.size ? workspaceRank(own, named, namedRanked) : undefined;
      return (r && r.rank > 0 && r.rank <= WS_FILES ? W_WS * r.share : 0) + (own.some((f) => editing?.has(f)) ? W_EDIT : 0);
    },
    bestFile: (c) => {
      if (!sameRepository(c.repo, ws.repo)) return undefined;
      let best: string | undefined;
      for (const f of c.files) if (!isTestPath(f) && rankOf(f) < (best ? rankOf(best) : Infinity)) best = f;
      return best;
    },
  };
}
