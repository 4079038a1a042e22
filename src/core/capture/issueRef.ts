// What the user typed into "Open Issue…": a GitHub issue URL, `#N` / `owner/name#N`, or the
// issue's text itself.

export type IssueInput =
  { kind: 'github'; owner?: string; name?: string; number: number; host?: string } | { kind: 'text'; title: string; body: string };

const MAX_TITLE = 200;

export function parseIssueInput(raw: string): IssueInput | undefined {
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (!text) return undefined;
  const url = /^https?:\/\/([^/\s]+)\/([^/\s]+)\/([^/\s]+)\/(?:issues|pull)\/(\d{1,9})(?:[/?#]\S*)?$/i.exec(text);
  if (url) return { kind: 'github', host: url[1].toLowerCase(), owner: url[2], name: url[3], number: Number(url[4]) };
  const short = /^(?:([\w.-]+)\/([\w.-]+))?#(\d{1,9})$/.exec(text);
  if (short) return { kind: 'github', ...(short[1] ? { owner: short[1], name: short[2] } : {}), number: Number(short[3]) };
  const [first, ...rest] = text.split('\n');
  const title = first.trim().slice(0, MAX_TITLE);
  const body = first.length > MAX_TITLE ? text : rest.join('\n').trim();
  return { kind: 'text', title, body };
}

/** An issue number carried by a branch name: `fix/123-date`, `issue-123`, `gh-123`, `123-crash`. */
export function issueNumberFromBranch(branch: string): number | undefined {
  // A number right after a prefix word, or a number that starts the name or a path segment;
  // not any number (`release-2024`, `v2-api`).
  const m = /(?:^|[/_-])(?:issues?|gh|fix|bug)[-_#/]?(\d{1,7})(?=$|[/_.-])/i.exec(branch) ?? /(?:^|\/)(\d{1,7})(?=$|[_.-])/.exec(branch);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n > 0 ? n : undefined;
}
