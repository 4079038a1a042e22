/**
 * The normalised exception or assertion an issue or test output reports, e.g.
 * `TypeError: unsupported operand type(s) for +: 'int' and 'str'`: the last
 * `SomethingError: message` line (tracebacks end with the one that matters), with addresses,
 * quoted paths and line numbers made generic so the same failure matches across runs.
 */
const EXCEPTION_LINE =
  /^\s*(?:E\s+)?((?:[A-Za-z_][\w]*\.)*[A-Z][\w]*(?:Error|Exception|Warning|Exit|Interrupt|Failure|Fault))(?::\s?(.*))?$/;

export function errorSignature(text: string): string {
  let found = '';
  for (const line of text.split('\n', 5000)) {
    const m = EXCEPTION_LINE.exec(line);
    if (m) found = m[2] ? `${m[1]}: ${m[2].trim()}` : m[1];
  }
  return normaliseSignature(found);
}

export function normaliseSignature(s: string): string {
  return s
    .replace(/0x[0-9a-fA-F]+/g, '0x…')
    .replace(/(["'])(?:\/|[A-Za-z]:\\)[^"']*\1/g, '$1<path>$1')
    .replace(/\bline \d+\b/g, 'line N')
    .slice(0, 300)
    .trim();
}
