// Relevance in words for the panel's cards: the same rule as core's relevanceWord (core may not
// import shared, and the webview may not import core; test/unit/relevanceWords checks they agree).
// No imports (the webview uses it).

/** high ≥ 0.4, medium ≥ 0.2, else low (see src/core/recall/relevance.ts for why). */
export function relevanceWordOf(r: number): 'high' | 'medium' | 'low' {
  return r >= 0.4 ? 'high' : r >= 0.2 ? 'medium' : 'low';
}
