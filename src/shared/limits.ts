// Size limits shared by the panel and its host. The host rejects webview messages beyond them;
// the panel uses the same numbers so that what it sends is never rejected for size.

/** Ids of episodes, attempts, insights and sessions (as in the domain model). */
export const MAX_ID_CHARS = 200;
/** Correlation ids the panel makes up for requests (compose, chat). */
export const MAX_REQUEST_ID_CHARS = 64;
/** An edited insight: a lesson is a sentence or two. */
export const MAX_INSIGHT_CHARS = 2_000;
/** A composed (and possibly edited) prompt, or one chat message. */
export const MAX_PROMPT_CHARS = 200_000;
/** Code handed to the clipboard or inserted at the cursor. */
export const MAX_CODE_CHARS = 500_000;
/** An error report from the panel. */
export const MAX_ERROR_CHARS = 2_000;

/** Markdown beyond this many characters is shown as plain text instead of being formatted. */
export const MAX_MARKDOWN_CHARS = 60_000;
/** Markdown nested deeper than this (quotes, lists, emphasis) is shown as plain text. */
export const MAX_MARKDOWN_DEPTH = 16;
