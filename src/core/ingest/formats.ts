import type { Episode } from '../model/episode';
import { InputFileError, readAll, type LineProblem } from './importer';
import { parseDejafixLine } from './jsonl';
import type { Parsed } from './records';
import { episodeFromInstance } from './swebench';
import { parseJson } from './records';
import { swebenchRunsParser } from './swebenchRuns';
import { DOCUMENT_FORMATS } from './documentFormats';

/** Line formats (one record a line), then formats where a file is one episode (`documentFormat`). */
export const FORMATS = ['jsonl', 'swebench', 'swebench-runs', ...DOCUMENT_FORMATS] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** For `swebench-runs`: the SWE-bench instances the runs belong to. */
  instancesFile?: string;
}

/** Builds the line parser for a format, with any problems found in its side files. */
export async function lineParser(
  format: Format,
  opts: FormatOptions = {},
): Promise<{ parse: (text: string) => Parsed; sideErrors: LineProblem[] }> {
  switch (format) {
    case 'jsonl':
      return { parse: parseDejafixLine, sideErrors: [] };
    case 'swebench':
      return { parse: (text) => ({ episodes: [episodeFromInstance(parseJson(text))] }), sideErrors: [] };
    case 'swebench-runs': {
      if (!opts.instancesFile)
        throw new InputFileError('--format swebench-runs needs --instances FILE (the SWE-bench instances the runs belong to)');
      const { items, errorLines } = await readAll(opts.instancesFile, (t) => episodeFromInstance(parseJson(t)));
      const byId = new Map<string, Episode>(items.map((e) => [e.sourceId ?? e.id, e]));
      return { parse: swebenchRunsParser(byId), sideErrors: errorLines };
    }
    case 'claude-code':
    case 'sweagent-traj':
      throw new Error(`--format ${format} is read a file at a time: use documentFormat() and importDocuments()`);
  }
}
