// The active issue: title (linked when it has a web address), repository, time spent, attempts so
// far and how the last one ended.
import type { PanelContext } from './context';
import { h, safeHttpUrl, type Child } from '../dom';
import { duration, plural } from '../format';

export function renderHeader(app: PanelContext): Child[] {
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
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'repo' }, issue.repo),
      ' · ',
      h('span', { class: 'elapsed', title: `Started ${issue.startedAt}`, 'data-started': issue.startedAt }, `${elapsed} in`),
      ' · ',
      h('span', {}, plural(issue.attempts, 'attempt')),
      issue.lastOutcome ? ' · last ' : null,
      issue.lastOutcome ? h('span', { class: `badge outcome-${issue.lastOutcome}` }, issue.lastOutcome) : null,
    ),
  ];
}

/** Updates the "14 min in" of a rendered header (called every second: the time keeps running). */
export function tickHeader(header: HTMLElement, now = Date.now()): void {
  const el = header.querySelector<HTMLElement>('.elapsed[data-started]');
  const started = el ? Date.parse(el.dataset.started ?? '') : NaN;
  if (!el || Number.isNaN(started)) return;
  const text = `${duration(now - started)} in`;
  if (el.textContent !== text) el.textContent = text;
}
