// How much of a command's output an attempt keeps. Its own import-free file so the editor can read
// it at activation without loading the model's zod schemas (bench:activation checks that).

/** Output kept per attempt (capture, agents and the panel alike): the tail holds the summary and the failure that matters. */
export const OUTPUT_TAIL_CHARS = 8_000;
