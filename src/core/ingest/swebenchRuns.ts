// Agent predictions on SWE-bench (`instance_id, system, model_patch, resolved`) become attempts
// attached to the instance's episode: a resolved run is a passing attempt, any other a failing one.
import { z } from 'zod';
import type { Attempt } from '../model/attempt';
import type { Episode } from '../model/episode';
import { stableId } from '../model/ids';
import { LineError, parseJson, validate, type Parsed } from './records';

const runSchema = z.object({
  instance_id: z.string().min(1).max(200),
  system: z.string().min(1).max(500),
  model_patch: z
    .string()
    .nullable()
    .transform((p) => p ?? ''),
  resolved: z.boolean(),
});

/**
 * Makes a line parser for runs. `instances` maps instance ids to their episodes; each episode is
 * written along with its first run so that attempts never point at a missing episode.
 */
export function swebenchRunsParser(instances: Map<string, Episode>): (text: string) => Parsed {
  const written = new Set<string>();
  return (text) => {
    const run = validate(runSchema, parseJson(text), 'SWE-bench run');
    const episode = instances.get(run.instance_id);
    if (!episode) throw new LineError(`instance ${run.instance_id} is not in the --instances file`);
    const attempt: Attempt = {
      id: stableId('at', 'swebench-run', run.instance_id, run.system),
      episodeId: episode.id,
      patch: run.model_patch,
      command: 'SWE-bench evaluation',
      exitCode: null,
      outputTail: '',
      // Runs carry no time of their own; they were made after the issue was filed.
      at: episode.createdAt,
      by: run.system,
      outcome: run.resolved ? 'passed' : 'failed',
    };
    const episodes = written.has(episode.id) ? [] : [episode];
    written.add(episode.id);
    return { episodes, attempts: [attempt] };
  };
}
