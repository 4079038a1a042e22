// Fetches an issue through the GitHub REST API (github.com or an Enterprise server), with a
// token when the user has one. Errors say what to do: sign in, check the number, wait.
import { z } from 'zod';
import type { Issue } from '../model/episode';
import { DejafixError, errorText } from '../util/errors';

export const GITHUB_API = 'https://api.github.com';
/** Issue bodies beyond this are cut: the description and traceback come first. */
export const MAX_ISSUE_BODY = 200_000;

const issueJson = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullable().optional(),
  html_url: z.string(),
  pull_request: z.unknown().optional(),
});

export class GithubError extends DejafixError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message, { code: 'github' });
    this.name = 'GithubError';
  }
}

export interface FetchIssueOptions {
  apiBase?: string;
  owner: string;
  name: string;
  number: number;
  token?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

export async function fetchGithubIssue(o: FetchIssueOptions): Promise<Issue> {
  const base = (o.apiBase || GITHUB_API).replace(/\/+$/, '');
  const url = `${base}/repos/${encodeURIComponent(o.owner)}/${encodeURIComponent(o.name)}/issues/${o.number}`;
  const headers: Record<string, string> = {
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'user-agent': 'dejafix',
  };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  const signals = [AbortSignal.timeout(o.timeoutMs ?? 15_000), ...(o.signal ? [o.signal] : [])];
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.any(signals) });
  } catch (e) {
    throw new GithubError(`Could not reach ${base}: ${errorText(e)}. Check the network, or paste the issue text instead.`);
  }
  const ref = `${o.owner}/${o.name}#${o.number}`;
  if (res.status === 404)
    throw new GithubError(`${ref} was not found. Check the number, or sign in to GitHub if the repository is private.`, 404);
  if (res.status === 401) throw new GithubError(`GitHub refused the token (401). Sign in to GitHub again.`, 401);
  if (res.status === 403 || res.status === 429) {
    const reset = Number(res.headers.get('x-ratelimit-reset'));
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : '';
    const limited = res.headers.get('x-ratelimit-remaining') === '0' || res.status === 429;
    throw new GithubError(
      limited
        ? `GitHub's rate limit is used up${when}. Sign in to GitHub for a higher limit, or paste the issue text.`
        : `GitHub denied access to ${ref} (403).`,
      res.status,
    );
  }
  if (!res.ok) throw new GithubError(`GitHub answered ${res.status} for ${ref}. Try again later, or paste the issue text.`, res.status);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new GithubError(`GitHub's answer for ${ref} was not valid JSON.`);
  }
  const parsed = issueJson.safeParse(body);
  if (!parsed.success)
    throw new GithubError(
      `GitHub's answer for ${ref} is not an issue (${parsed.error.issues[0]?.path.join('.') || 'shape'}: ${parsed.error.issues[0]?.message}).`,
    );
  const text = parsed.data.body ?? '';
  return {
    title: parsed.data.title.slice(0, 500),
    body: text.length > MAX_ISSUE_BODY ? `${text.slice(0, MAX_ISSUE_BODY)}\n[… ${text.length - MAX_ISSUE_BODY} characters omitted]` : text,
    url: parsed.data.html_url,
    number: parsed.data.number,
  };
}

/** The REST base for a web host: `github.com` → api.github.com, an Enterprise host → `https://host/api/v3`. */
export function apiBaseFor(host: string | undefined, configured: string | undefined): string {
  if (configured) return configured;
  if (!host || host === 'github.com') return GITHUB_API;
  return `https://${host}/api/v3`;
}
