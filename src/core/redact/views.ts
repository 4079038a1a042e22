import type { Hit } from './types';

/**
 * Another way of reading part of a text (decoded escapes, percent-encoding, lines without their log
 * prefix): the view's text and, for each of its characters (and its end), the offset in the original.
 */
export interface View {
  text: string;
  map: number[];
}

/** Hits `detect` finds in each view, mapped back to the original text's offsets. */
export function hitsInViews(views: Iterable<View>, detect: (view: string, depth: number) => Hit[], depth: number): Hit[] {
  const hits: Hit[] = [];
  for (const v of views) for (const h of detect(v.text, depth + 1)) hits.push({ ...h, start: v.map[h.start], end: v.map[h.end] });
  return hits;
}
