// The active issue: title (linked when it has a web address), repository, time spent, attempts so
// far and how the last one ended.
import type { App } from '../app';
import { h, safeHttpUrl, type Child } from '../dom';
import { duration, plural } from '../format';

export function renderHeader(app: App): Child[] {
  const issue = app.state?.issue;
  if (!issue) {
    return [
      h('h2', { class: 'issue-title' }, 'No active issue'),
      h('p', { class: 'muted' }, 'Run “Dejafix: Open Issue…” or switch to an issue branch; past repairs for it will appear here.'),
    ];
  }
  const url = safeHttpUrl(issue.url);
  const title = url ? h('a', { href: url, title: url }, issue.title) : issue.title;
  const elapsed = duration(Date.now() - Date.parse(issue.startedAt));
  return [
    h('h2', { class: 'issue-title' }, title),
    h('p', { class: 'meta' },
      h('span', { class: 'repo' }, issue.repo), ' · ',
      h('span', { title: `Started ${issue.startedAt}` }, `${elapsed} in`), ' · ',
      h('span', {}, plural(issue.attempts, 'attempt')),
      issue.lastOutcome ? ' · last ' : null,
      issue.lastOutcome ? h('span', { class: `badge outcome-${issue.lastOutcome}` }, issue.lastOutcome) : null),
  ];
}
