// "Open Issue…": pasted text, a GitHub issue URL, or #N (fetched through the GitHub REST API, with
// VS Code's GitHub sign-in when the user has one, anonymously otherwise).
import * as vscode from 'vscode';
import { parseIssueInput } from '../core/capture/issueRef';
import { normaliseRemote } from '../core/capture/repoId';
import type { Issue } from '../core/model/episode';
import { childLogger, type Logger } from '../core/util/logger';
import type { Settings } from './settings';
import { errorText } from '../core/util/errors';

/** Resolves what the user typed into an issue; `repo` (host/owner/name) completes a bare `#N`. */
export async function resolveIssue(raw: string, repo: string | undefined, settings: Settings, log: Logger): Promise<Issue> {
  const input = parseIssueInput(raw);
  if (!input) throw new Error('Type the issue text, paste a GitHub issue URL, or give its number as #123.');
  if (input.kind === 'text') return { title: input.title, body: input.body };
  let host = input.host;
  let owner = input.owner;
  let name = input.name;
  if (!owner) {
    const parts = repo ? normaliseRemote(`https://${repo}`)?.split('/') : undefined;
    if (!parts || parts.length < 3)
      throw new Error(`#${input.number} needs a repository: this folder has no git remote. Paste the issue URL instead.`);
    [host, owner, name] = [parts[0], parts[1], parts.slice(2).join('/')];
  }
  const token = await githubToken(log);
  const { apiBaseFor, fetchGithubIssue } = await import('../core/capture/github');
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Dejafix: fetching ${owner}/${name}#${input.number}…`, cancellable: true },
    (_p, cancel) => {
      const ac = new AbortController();
      cancel.onCancellationRequested(() => ac.abort());
      return fetchGithubIssue({
        apiBase: apiBaseFor(host, settings.get('github.apiBaseUrl') || undefined),
        owner: owner!,
        name: name!,
        number: input.number,
        token,
        signal: ac.signal,
      });
    },
  );
}

/** The GitHub token of an existing sign-in, without prompting; undefined means anonymous. */
async function githubToken(log: Logger): Promise<string | undefined> {
  try {
    const session = await vscode.authentication.getSession('github', ['repo'], { silent: true });
    return session?.accessToken;
  } catch (e) {
    childLogger(log, 'github').debug(`no sign-in available: ${errorText(e)}`);
    return undefined;
  }
}
