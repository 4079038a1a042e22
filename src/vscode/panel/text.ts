/** For log lines: control characters and line breaks flattened, length bounded. */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
