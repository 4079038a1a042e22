// A small GitHub REST server on 127.0.0.1 for issue fetching: GET /repos/:owner/:name/issues/:n
// with GitHub's JSON shape and headers (x-ratelimit-*, x-github-request-id), 404 bodies like
// GitHub's, and scriptable misbehaviour. Records each request's path and Authorization header.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GithubIssueFixture {
  number: number;
  title: string;
  body: string | null;
  pull_request?: unknown;
}

export type GithubBehaviour =
  { kind: 'rate-limited' } | { kind: 'status'; status: number } | { kind: 'raw'; body: string } | { kind: 'slow'; delayMs: number };

export interface GithubServer {
  readonly apiBase: string;
  readonly requests: { path: string; authorization?: string }[];
  next(...b: GithubBehaviour[]): void;
  close(): Promise<void>;
}

export async function startGithubServer(
  issues: Record<string, GithubIssueFixture>,
  opts: { pathPrefix?: string } = {},
): Promise<GithubServer> {
  const queue: GithubBehaviour[] = [];
  const requests: { path: string; authorization?: string }[] = [];
  const prefix = opts.pathPrefix ?? '';
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const common = {
      'x-github-request-id': 'ABCD:1234',
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '59',
      'x-ratelimit-reset': '1800000000',
    };
    const b = queue.shift();
    const send = (status: number, body: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...common, ...extra });
      res.end(body);
    };
    if (b?.kind === 'rate-limited')
      return send(
        403,
        JSON.stringify({
          message: 'API rate limit exceeded for 127.0.0.1.',
          documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
        }),
        { 'x-ratelimit-remaining': '0' },
      );
    if (b?.kind === 'status') return send(b.status, JSON.stringify({ message: 'Server Error' }));
    if (b?.kind === 'raw') return send(200, b.body);
    const m = new RegExp(`^${prefix}/repos/([^/]+)/([^/]+)/issues/(\\d+)$`).exec(req.url ?? '');
    const issue = m ? issues[`${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}#${m[3]}`] : undefined;
    const reply = () => {
      if (!m || !issue)
        return send(
          404,
          JSON.stringify({
            message: 'Not Found',
            documentation_url: 'https://docs.github.com/rest/issues/issues#get-an-issue',
            status: '404',
          }),
        );
      send(
        200,
        JSON.stringify({
          ...issue,
          id: 1000 + issue.number,
          html_url: `https://github.com/${m[1]}/${m[2]}/issues/${issue.number}`,
          state: 'open',
          user: { login: 'octocat' },
          labels: [],
        }),
      );
    };
    if (b?.kind === 'slow') setTimeout(reply, b.delayMs);
    else reply();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    apiBase: `http://127.0.0.1:${port}${prefix}`,
    requests,
    next: (...b) => queue.push(...b),
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
