// Applying a reflection's operations to the insights of a scope: each operation is checked (its
// handle, its evidence) and either applied whole or rejected with a reason; counters move as
// ExpeL's do; a new insight that says what an existing one says is merged into it; each
// scope × role keeps at most `cap` insights, the weakest retired first. The result is a plan —
// the insights to write in one upsert — so nothing is ever half-applied.
import type { Episode } from '../model/episode';
import { stableId } from '../model/ids';
import type { Insight, InsightRole } from '../model/insight';
import type { Logger } from '../util/logger';
import { COUNTER, MAX_NEGATIVE_OPS, type InsightOp } from './ops';
import type { Similarity } from './similarity';

export interface PlanContext {
  episode: Episode;
  /** Handles shown to the model → insights. */
  handles: Map<string, Insight>;
  /** Files the evidence may cite. */
  files: Set<string>;
  /** Every current (not retired) insight of the episode's repository and of `global`. */
  existing: Insight[];
  requireApproval: boolean;
  cap: number;
  similarity: Similarity;
  now: string;
  log: Logger;
}

export type OpResult = 'added' | 'merged' | 'edited' | 'upvoted' | 'downvoted' | 'removed' | 'rejected';

export interface OpOutcome {
  op: InsightOp;
  result: OpResult;
  insightId?: string;
  reason?: string;
}

export interface Plan {
  /** Insights to write (new and changed), in one upsert. */
  write: Insight[];
  outcomes: OpOutcome[];
  /** Insights retired to keep a scope × role within the cap. */
  evicted: string[];
}

const MAX_EVIDENCE_EPISODES = 50;

export function scopeOf(op: Extract<InsightOp, { op: 'ADD' }>, episode: Episode): string {
  return op.scope === 'repo' && episode.repo ? episode.repo : 'global';
}

function normalisePath(p: string): string {
  return p
    .trim()
    .replace(/^(?:a|b)\//, '')
    .replace(/^\.\//, '');
}

function union(a: string[], b: string[], max = Infinity): string[] {
  return [...new Set([...a, ...b])].slice(-max);
}

export async function planOperations(ops: InsightOp[], ctx: PlanContext): Promise<Plan> {
  const work = new Map(ctx.existing.map((i) => [i.id, structuredClone(i)]));
  const changed = new Set<string>();
  const created = new Set<string>();
  const outcomes: OpOutcome[] = [];
  let negatives = 0;

  const reject = (op: InsightOp, reason: string) => {
    ctx.log.warn(`${ctx.episode.id}: rejected ${op.op}${'insight' in op ? ` ${op.insight}` : ''}: ${reason}`);
    outcomes.push({ op, result: 'rejected', reason });
  };
  const touch = (i: Insight, ev: { episodes: string[]; files: string[] }, delta: number) => {
    i.importance += delta;
    i.evidence = { episodes: union(i.evidence.episodes, ev.episodes, MAX_EVIDENCE_EPISODES), files: union(i.evidence.files, ev.files) };
    i.updatedAt = ctx.now;
    if (delta > 0) delete i.stale;
    if (i.importance <= 0) {
      i.importance = 0;
      i.status = 'retired';
    }
    changed.add(i.id);
  };
  const group = (scope: string, role: InsightRole, except?: string) =>
    [...work.values()].filter((i) => i.scope === scope && i.role === role && i.status !== 'retired' && i.id !== except);
  const duplicateOf = async (text: string, scope: string, role: InsightRole, except?: string): Promise<Insight | undefined> => {
    const others = group(scope, role, except);
    if (others.length === 0) return undefined;
    const [sims] = await ctx.similarity.matrix(
      [text],
      others.map((o) => o.text),
    );
    let best = -1;
    sims.forEach((s, j) => {
      if (s >= ctx.similarity.threshold && (best < 0 || s > sims[best])) best = j;
    });
    return best >= 0 ? others[best] : undefined;
  };

  for (const op of ops) {
    const foreign = op.evidence.episodes.filter((e) => e !== ctx.episode.id);
    if (foreign.length) {
      reject(op, `its evidence cites episodes that were not shown (${foreign.slice(0, 3).join(', ')})`);
      continue;
    }
    const files = op.evidence.files.map(normalisePath);
    const unknown = files.filter((f) => !ctx.files.has(f));
    if (unknown.length) {
      reject(op, `its evidence cites files that are not in the episode (${unknown.slice(0, 3).join(', ')})`);
      continue;
    }
    const evidence = { episodes: [ctx.episode.id], files };

    if (op.op === 'ADD') {
      const text = op.text.replace(/\s+/g, ' ').trim();
      const scope = scopeOf(op, ctx.episode);
      const dup = await duplicateOf(text, scope, op.role);
      if (dup) {
        // Saying again what an insight says confirms it; two adds of one lesson in one answer count once.
        touch(dup, evidence, created.has(dup.id) ? 0 : COUNTER.upvote);
        outcomes.push({ op, result: 'merged', insightId: dup.id });
        continue;
      }
      const id = stableId('in', scope, op.role, text.toLowerCase());
      const fresh: Insight = {
        id,
        text,
        role: op.role,
        scope,
        importance: COUNTER.add,
        evidence,
        status: ctx.requireApproval ? 'proposed' : 'active',
        createdAt: ctx.now,
        updatedAt: ctx.now,
      };
      work.set(id, fresh);
      changed.add(id);
      created.add(id);
      outcomes.push({ op, result: 'added', insightId: id });
      continue;
    }

    const shown = ctx.handles.get(op.insight);
    const target = shown && work.get(shown.id);
    if (!target) {
      reject(op, `${op.insight} is not one of the insights shown`);
      continue;
    }
    if (target.status === 'retired') {
      reject(op, `${op.insight} was already retired`);
      continue;
    }
    if (op.op === 'DOWNVOTE' || op.op === 'REMOVE') {
      if (++negatives > MAX_NEGATIVE_OPS) {
        reject(op, `one episode may lower at most ${MAX_NEGATIVE_OPS} insights`);
        continue;
      }
      touch(target, evidence, op.op === 'REMOVE' ? COUNTER.remove : COUNTER.downvote);
      if (op.op === 'REMOVE') ctx.log.info(`${ctx.episode.id}: REMOVE ${target.id}: ${op.reason}`);
      outcomes.push({ op, result: op.op === 'REMOVE' ? 'removed' : 'downvoted', insightId: target.id });
      continue;
    }
    if (op.op === 'UPVOTE') {
      touch(target, evidence, COUNTER.upvote);
      outcomes.push({ op, result: 'upvoted', insightId: target.id });
      continue;
    }
    // EDIT
    const text = op.text.replace(/\s+/g, ' ').trim();
    const dup = await duplicateOf(text, target.scope, target.role, target.id);
    if (dup) {
      // The edit makes it say what another says: one insight, with both counts' support.
      touch(dup, { episodes: [...target.evidence.episodes, ctx.episode.id], files: [...target.evidence.files, ...files] }, COUNTER.edit);
      target.status = 'retired';
      target.updatedAt = ctx.now;
      changed.add(target.id);
      outcomes.push({ op, result: 'merged', insightId: dup.id });
      continue;
    }
    target.text = text;
    touch(target, evidence, COUNTER.edit);
    outcomes.push({ op, result: 'edited', insightId: target.id });
  }

  const evicted = enforceCap(work, changed, ctx);
  return { write: [...changed].map((id) => work.get(id)!), outcomes, evicted };
}

/** Retires the weakest insights of every scope × role the plan touched, until each is within the cap. */
function enforceCap(work: Map<string, Insight>, changed: Set<string>, ctx: PlanContext): string[] {
  const groups = new Set([...changed].map((id) => work.get(id)!).map((i) => `${i.scope}\u0000${i.role}`));
  const evicted: string[] = [];
  for (const key of groups) {
    const live = [...work.values()].filter((i) => `${i.scope}\u0000${i.role}` === key && i.status !== 'retired');
    if (live.length <= ctx.cap) continue;
    // Weakest first: lowest count, then stale, then unapproved, then least recently confirmed.
    live.sort(
      (a, b) =>
        a.importance - b.importance ||
        Number(Boolean(b.stale)) - Number(Boolean(a.stale)) ||
        Number(b.status === 'proposed') - Number(a.status === 'proposed') ||
        a.updatedAt.localeCompare(b.updatedAt) ||
        a.id.localeCompare(b.id),
    );
    for (const i of live.slice(0, live.length - ctx.cap)) {
      i.status = 'retired';
      i.updatedAt = ctx.now;
      changed.add(i.id);
      evicted.push(i.id);
      ctx.log.info(`retired ${i.id} (importance ${i.importance}) to keep ${i.scope} × ${i.role} within ${ctx.cap} insights`);
    }
  }
  return evicted;
}
