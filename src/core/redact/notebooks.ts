import { opaqueSecret } from './callChains';
import { type Hit, rank } from './types';

/**
 * A secret a Jupyter cell printed, in the notebook's JSON: an output's `"text": ["…\n", …]` or
 * `"text/plain": ["'…'"]` line that is one generated token (`print(os.environ["API_KEY"])` → `Xk9…`), apart from
 * the code that printed it, so no name stands next to it. A line counts when it is only that token (quoted as a
 * REPL shows a string, `'…'`, `b'…'`, or not) and it looks generated (opaqueSecret, mixing cases: not a hex digest); named lines (`API_KEY=…`,
 * `token: …`) are the other rules' (seen through escaped.ts).
 *
 * Found from each `"text"` / `"text/plain"` key; its strings are read by a sticky regex, at most 256 of them and
 * 1,024 characters each, so hostile input stays linear.
 */
// Between strings: blanks and line breaks, and a diff's `+` or a quote's `>` starting the next line.
const KEY = /"text(?:\/plain)?"[ \t]{0,8}:[ \t\r\n+>]{0,64}(\[)?/g;
const ELEMENT = /[ \t\r\n+>]{0,64}"((?:[^"\\\n]|\\.){0,1024})"[ \t\r\n+>]{0,64}(,)?/y;
const LONE = /^(?:[bru]?(['"]))?([A-Za-z0-9+/=_.~-]{12,512})\1?(?:\\n|\\r)*$/;

export function findNotebookOutputs(text: string): Hit[] {
  if (!text.includes('"text')) return [];
  const hits: Hit[] = [];
  KEY.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = KEY.exec(text)) !== null) {
    ELEMENT.lastIndex = KEY.lastIndex;
    for (let n = 0; n < 256; n++) {
      const at = ELEMENT.lastIndex;
      const e = ELEMENT.exec(text);
      if (!e) break;
      const lone = LONE.exec(e[1].replace(/\\(['"])/g, '$1'));
      // A hex digest is what a cell prints most often (`hashlib.md5(…).hexdigest()`): only mixed-case tokens count.
      if (lone && opaqueSecret(lone[2]) && !/^[0-9a-f]+$/i.test(lone[2])) {
        const start = text.indexOf(lone[2], at);
        if (start >= 0 && start < ELEMENT.lastIndex) hits.push({ rule: 'env', start, end: start + lone[2].length, rank: rank.name });
      }
      if (!m[1] || !e[2]) break; // one string, or the array's last
    }
    KEY.lastIndex = Math.max(KEY.lastIndex, ELEMENT.lastIndex);
  }
  return hits;
}
