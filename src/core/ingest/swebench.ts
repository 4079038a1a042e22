// SWE-bench instances (`instance_id, repo, created_at, problem_statement, patch, test_patch, …`)
// become resolved episodes: the gold patch is the final patch, the test patch reproduces the issue.
import { z } from 'zod';
import { errorSignature } from '../model/errorSignature';
import type { Episode } from '../model/episode';
import { stableId } from '../model/ids';
import { patchFiles, patchSymbols } from '../model/patch';
import { isoTime } from '../model/time';
import { validate } from './records';

const instanceSchema = z.object({
  instance_id: z.string().min(1).max(200),
  repo: z.string().min(1),
  created_at: isoTime,
  problem_statement: z.string(),
  patch: z.string(),
  test_patch: z.string().optional().default(''),
});

export function swebenchEpisodeId(instanceId: string): string {
  return stableId('ep', 'swebench', instanceId);
}

export function episodeFromInstance(value: unknown): Episode {
  const r = validate(instanceSchema, value, 'SWE-bench instance');
  const statement = r.problem_statement.replace(/\r\n/g, '\n');
  const nl = statement.indexOf('\n');
  const title = (nl === -1 ? statement : statement.slice(0, nl)).trim();
  const body = nl === -1 ? '' : statement.slice(nl + 1).trim();
  return {
    id: swebenchEpisodeId(r.instance_id),
    repo: r.repo,
    issue: { title, body },
    errorSignature: errorSignature(statement),
    attempts: [],
    finalPatch: r.patch,
    reproTest: r.test_patch,
    files: patchFiles(r.patch),
    symbols: patchSymbols(r.patch),
    outcome: 'resolved',
    source: 'import:swebench',
    sourceId: r.instance_id,
    createdAt: r.created_at,
  };
}
