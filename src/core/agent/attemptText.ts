// Small pieces shared by both session back ends: the output tail with the agent's note in front,
// and a working-tree diff narrowed to the files the agent says it changed.
import { OUTPUT_TAIL_CHARS } from '../model/attempt';
import { redactTail } from '../redact/clip';

/**
 * The note goes first and is never cut; the output keeps its tail (the failure summary), redacted
 * before it is clipped, and the whole fits the attempt's output limit.
 */
export async function outputWithNote(output: string | undefined, note: string | undefined): Promise<string> {
  const head = note?.trim() ? `note: ${note.trim().replace(/\s+/g, ' ')}\n` : '';
  const room = Math.max(0, OUTPUT_TAIL_CHARS - head.length);
  return head + (await redactTail(output ?? '', room));
}

/** The parts of a unified diff (one per `diff --git` section) that touch any of `files`. */
export function diffOfFiles(diff: string, files: string[]): string {
  const wanted = new Set(
    files.map((f) =>
      f
        .trim()
        .replace(/^\.\//, '')
        .replace(/^[ab]\//, ''),
    ),
  );
  const sections = diff.split(/^(?=diff --git )/m);
  return sections
    .filter((s) => {
      const m = /^diff --git a\/(.+?) b\/(.+)$/m.exec(s);
      return m !== null && (wanted.has(m[1]) || wanted.has(m[2]));
    })
    .join('');
}
