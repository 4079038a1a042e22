import { opaqueSecret } from './callChains';
import { type Hit, rank } from './types';
import { endsInSecretWord, isPlaceholder, looksLikeCode, looksLikePath, looksRandom } from './values';

/**
 * A secret printed by a command that reads it by name, in a terminal, a CI log or a REPL transcript: the line
 * after `echo $API_TOKEN`, `printenv GITHUB_TOKEN`, `echo "${{ secrets.DEPLOY_KEY }}"` (GitHub Actions, after its
 * `Run` block's indented lines), `Write-Output $env:API_KEY`, `echo %API_KEY%`, `>>> os.environ["API_KEY"]` or
 * `In [3]: os.getenv("SECRET_KEY")` (then `Out[3]: '…'`). The output line is redacted when it is one token that
 * looks generated; the name must be a secret's (or any `secrets.*`). Every scan is bounded to a line (each print
 * line is read once) and to 9 lines after it.
 */

/** A command or expression that prints a variable, and the rest of its line (at most 200 characters). */
const PRINT = /(?:echo|printenv|Write-Output|Write-Host|environ|getenv|ENV\[|process\.env\.)[^\n]{0,200}/g;
/** The variable names a print line reads: `${{ secrets.X }}`, `$X`, `${X}`, `$env:X`, `%X%`, `["X"]`, `getenv("X")`, `printenv X`, `process.env.X`. */
const NAME =
  /\$\{\{[ \t]*(secrets)\.[\w-]{1,128}|\$\{?(?:env:)?([A-Za-z_]\w{0,127})|%([A-Za-z_]\w{0,127})%|\[["']([\w.-]{1,128})["']\]|getenv\(["']([\w.-]{1,128})["']|printenv[ \t]+([A-Za-z_]\w{0,127})|process\.env\.([A-Za-z_]\w{0,127})/g;
/** An output line: a diff's or a quote's marker, an optional `Out[n]: `, then one token, optionally quoted. */
const OUTPUT = /^[+\- ]?(?:>[ \t]?){0,4}[ \t]*(?:Out\[\d{1,6}\]:[ \t]*)?(["']?)([^\s"']{8,512})\1[ \t]*\r?$/d;

function readsSecret(line: string): boolean {
  NAME.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NAME.exec(line)) !== null) {
    if (m[1]) return true;
    const name = m.slice(2).find((g) => g !== undefined);
    if (name && endsInSecretWord(name)) return true;
  }
  return false;
}

function lineAt(text: string, start: number): string {
  const nl = text.indexOf('\n', start);
  return text.slice(start, Math.min(nl < 0 ? text.length : nl, start + 600));
}

/** After a diff's or a quote's marker (read greedily, no backtracking), the line is indented or blank. */
function indentedOrBlank(head: string): boolean {
  const rest = head.slice(/^[+\- ]?(?:>[ \t]?)*/.exec(head)![0].length);
  return /^[ \t]+\S|^[ \t]*\r?$/.test(rest);
}

/** The output line after the print line ending at `end`, when it is one generated-looking token. */
function printedAfter(text: string, end: number, hits: Hit[]): void {
  let at = end + 1;
  // A GitHub Actions `Run` block repeats the script indented, then its `shell:` / `env:` lines.
  for (let k = 0; k < 8 && at > 0 && at < text.length && indentedOrBlank(lineAt(text, at).slice(0, 16)); k++) {
    at = text.indexOf('\n', at) + 1;
  }
  if (at <= 0 || at >= text.length) return;
  const out = OUTPUT.exec(lineAt(text, at));
  const v = out?.[2];
  if (!v || isPlaceholder(v) || looksLikeCode(v) || looksLikePath(v) || !(looksRandom(v) || opaqueSecret(v))) return;
  hits.push({ rule: 'env', start: at + out!.indices![2][0], end: at + out!.indices![2][1], rank: rank.name });
}

export function findEchoedSecrets(text: string): Hit[] {
  const hits: Hit[] = [];
  PRINT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PRINT.exec(text)) !== null) {
    if (!readsSecret(m[0])) continue;
    const nl = text.indexOf('\n', m.index + m[0].length);
    if (nl < 0) break;
    printedAfter(text, nl, hits);
    PRINT.lastIndex = Math.max(PRINT.lastIndex, nl + 1);
  }
  return hits;
}
