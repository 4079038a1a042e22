// SWE-bench evaluation results for agent submissions, one JSON object a line:
// `{"instance_id", "model_patch", "resolved", "system"?}` (the shape of `--format swebench-runs`).
// They give trajectories their real outcome: a submission is only known to fix the issue when the
// evaluation of that same patch says so.
import { z } from 'zod';
import { readAll, type LineProblem } from './importer';
import { parseJson, validate } from './records';

const runSchema = z.object({
  instance_id: z.string().min(1).max(200),
  model_patch: z
    .string()
    .nullable()
    .optional()
    .transform((p) => p ?? ''),
  resolved: z.boolean(),
  system: z.string().max(500).optional(),
});

export type EvalRun = z.output<typeof runSchema>;

/** The runs in `file` by instance id, and the lines that could not be read. */
export async function loadEvalResults(file: string): Promise<{ runs: Map<string, EvalRun[]>; errorLines: LineProblem[] }> {
  const { items, errorLines } = await readAll(file, (t) => validate(runSchema, parseJson(t), 'evaluation result'));
  const runs = new Map<string, EvalRun[]>();
  for (const r of items) runs.set(r.instance_id, [...(runs.get(r.instance_id) ?? []), r]);
  return { runs, errorLines };
}
