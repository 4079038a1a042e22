// The formats where one file (or each file in a folder) is one episode.
import { claudeCodeFormat } from './claudeCode';
import type { DocumentFormat } from './documents';
import { loadEvalResults } from './evalResults';
import type { LineProblem } from './importer';
import { sweAgentTrajFormat } from './sweAgentTraj';

export const DOCUMENT_FORMATS = ['claude-code', 'sweagent-traj'] as const;
export type DocumentFormatName = (typeof DOCUMENT_FORMATS)[number];

export function isDocumentFormat(format: string): format is DocumentFormatName {
  return (DOCUMENT_FORMATS as readonly string[]).includes(format);
}

export interface DocumentFormatOptions {
  /** For `sweagent-traj`: SWE-bench evaluation results that give submissions their real outcome. */
  resultsFile?: string;
}

/** The reader for a format, with any problems found in its side files. */
export async function documentFormat(
  format: DocumentFormatName,
  opts: DocumentFormatOptions = {},
): Promise<{ format: DocumentFormat; sideErrors: LineProblem[] }> {
  if (format === 'claude-code') {
    if (opts.resultsFile) throw new Error('--results is for --format sweagent-traj only');
    return { format: claudeCodeFormat, sideErrors: [] };
  }
  if (!opts.resultsFile) return { format: sweAgentTrajFormat(), sideErrors: [] };
  const { runs, errorLines } = await loadEvalResults(opts.resultsFile);
  return { format: sweAgentTrajFormat(runs), sideErrors: errorLines };
}
