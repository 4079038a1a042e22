// Feedback across a team (issue 15 item 4, issue 17 item 3): each member's credits on shared repairs
// (helped / harmed / used — from the sessions that ended on their machine and from verdicts given
// without a session, core/feedback) go to the team store when they share, and a sync mirrors every
// other member's into the local store with `by` = that member. So a teammate's "not relevant" or
// "helpful" moves a repair's utility prior for everyone (utilityFor counts every credit row), while
// *hiding* a repair stays with the person who said it (hiddenFor reads only own rows).
// A member's team rows are replaced, never added to, when they share again (an undo travels too);
// a sync replaces the mirrored rows (what a teammate took back goes). Team rows carry no session id
// and no query hash: only the repair, the kind of credit, when, and who. Lessons' votes travel as
// counters (counters.ts), so only episodes' credits are carried here.
import { CREDIT_KINDS, feedbackRows, isTeamRowId, teamRowId, type FeedbackRow } from '../store/feedbackLog';
import type { ExperienceStore } from '../store';

const CHUNK = 500;
const episodeCredits = (rows: FeedbackRow[]) => rows.filter((r) => CREDIT_KINDS.has(r.kind) && r.subjectKind === 'episode');

async function removeAll(store: ExperienceStore, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) await feedbackRows.remove(store, ids.slice(i, i + CHUNK));
}

export interface FeedbackShare {
  /** This member's credit rows as the team store will hold them. */
  rows: FeedbackRow[];
  /** Their earlier team rows no longer backed by a local credit (an undo, a forgotten session). */
  stale: string[];
  /** How many distinct team repairs the new or changed rows are about. */
  repairs: number;
}

/** What sharing this member's feedback would write: their own credits on repairs the team store holds. */
export async function planFeedbackShare(local: ExperienceStore, team: ExperienceStore, member: string): Promise<FeedbackShare> {
  const own = episodeCredits(await feedbackRows.all(local, ''));
  const held = new Set<string>();
  const subjects = [...new Set(own.map((r) => r.subject))];
  for (let i = 0; i < subjects.length; i += CHUNK)
    for (const id of (await team.getEpisodes(subjects.slice(i, i + CHUNK))).keys()) held.add(id);
  const rows = own
    .filter((r) => held.has(r.subject))
    .map((r): FeedbackRow => ({ ...r, id: teamRowId(member, r.id), sessionId: '', queryHash: '', by: member }));
  const keep = new Set(rows.map((r) => r.id));
  const before = await feedbackRows.all(team, member);
  const unchanged = new Map(before.map((r) => [r.id, r]));
  const changed = rows.filter((r) => {
    const b = unchanged.get(r.id);
    return !b || b.kind !== r.kind || b.at !== r.at || b.subject !== r.subject;
  });
  return {
    rows: changed,
    stale: before.map((r) => r.id).filter((id) => !keep.has(id)),
    repairs: new Set(changed.map((r) => r.subject)).size,
  };
}

/** Writes a planned feedback share; returns how many rows changed in the team store. */
export async function applyFeedbackShare(team: ExperienceStore, plan: FeedbackShare): Promise<number> {
  await removeAll(team, plan.stale);
  await feedbackRows.write(team, plan.rows);
  return plan.rows.length + plan.stale.length;
}

/** Mirrors the other members' credits from the team store into the local one; own rows are never touched. */
export async function syncFeedback(local: ExperienceStore, team: ExperienceStore, member: string): Promise<number> {
  const theirs = episodeCredits(await feedbackRows.all(team)).filter((r) => r.by !== '' && r.by !== member);
  const keep = new Set(theirs.map((r) => r.id));
  const had = (await feedbackRows.all(local)).filter((r) => r.by !== '' && isTeamRowId(r.id));
  const gone = had.map((r) => r.id).filter((id) => !keep.has(id));
  await removeAll(local, gone);
  const known = new Map(had.map((r) => [r.id, r]));
  const changed = theirs.filter((r) => {
    const k = known.get(r.id);
    return !k || k.kind !== r.kind || k.at !== r.at || k.subject !== r.subject || k.by !== r.by;
  });
  await feedbackRows.write(local, changed);
  return changed.length + gone.length;
}
