/**
 * Where a directive (`name value` on its own) can start, without trying every position: each line's first
 * word, after blanks, a quote's `>` and a diff's `+`/`-` (at most 34 of them), then just after each backtick
 * (inline code). `visit(at, inCode)` is called with each start; `inCode` is true after a backtick.
 */
export function eachDirectiveStart(text: string, visit: (at: number, inCode: boolean) => void): void {
  for (let ls = 0; ls < text.length;) {
    let at = ls;
    for (
      let c = text.charCodeAt(at);
      at - ls < 34 && (c === 0x20 || c === 0x09 || c === 0x3e || c === 0x2b || c === 0x2d);
      c = text.charCodeAt(++at)
    );
    visit(at, false);
    const nl = text.indexOf('\n', ls);
    if (nl < 0) break;
    ls = nl + 1;
  }
  for (let tick = text.indexOf('`'); tick >= 0; tick = text.indexOf('`', tick + 1)) visit(tick + 1, true);
}
