// Recalled past repairs as cards: what, where, how it ended, when, how well it matched and why;
// expanding shows the attempts (command, exit code, output tail, patch).
import type { AttemptView, EpisodeCard } from '../../shared/viewModel';
import type { App } from '../app';
import { button, h, type Child } from '../dom';
import { age, plural } from '../format';

export function renderEpisodes(app: App): Child[] {
  const state = app.state;
  const hidden = new Set(app.ui.hidden);
  const episodes = (state?.episodes ?? []).filter((e) => !hidden.has(e.id));
  const title = h('h3', { id: 'episodes-title' }, `Recalled experience (${episodes.length})`);
  if (!episodes.length) {
    return [title, h('p', { class: 'muted' }, state?.issue ? 'No similar past repairs found.' : 'Open an issue to recall past repairs.')];
  }
  return [title, h('ol', { class: 'cards' }, ...episodes.map((e, i) => h('li', {}, card(app, e, i))))];
}

function card(app: App, e: EpisodeCard, index: number): HTMLElement {
  const expanded = app.ui.expanded.includes(e.id);
  const bodyId = `episode-body-${index}`;
  const toggle = button(expanded ? '▾' : '▸', () => {
    app.ui.expanded = expanded ? app.ui.expanded.filter((id) => id !== e.id) : [...app.ui.expanded, e.id];
    app.renderLists();
    app.persist();
  }, {
    class: 'icon toggle',
    'aria-expanded': String(expanded),
    'aria-controls': bodyId,
    'aria-label': `${expanded ? 'Hide' : 'Show'} attempts: ${e.title}`,
    'data-key': `ep:${e.id}:toggle`,
  });
  const notRelevant = button('Not relevant', () => {
    app.ui.hidden = [...app.ui.hidden, e.id];
    app.post({ type: 'episode.notRelevant', episodeId: e.id });
    app.renderLists();
    app.persist();
  }, { 'aria-label': `Not relevant: ${e.title}`, 'data-key': `ep:${e.id}:dismiss` });
  const openFinal = e.hasFinalPatch
    ? button('Open patch', () => app.post({ type: 'episode.openPatch', episodeId: e.id }), {
      'aria-label': `Open final patch: ${e.title}`, 'data-key': `ep:${e.id}:patch`,
    })
    : null;
  return h('article', { class: `card outcome-${e.outcome}`, 'aria-label': e.title, 'data-episode': e.id },
    h('div', { class: 'card-head' }, toggle, h('span', { class: 'card-title' }, e.title),
      h('span', { class: `badge outcome-${e.outcome}` }, e.outcome)),
    h('p', { class: 'meta' },
      h('span', { class: 'repo' }, e.repo), ' · ', age(e.createdAt), ' · ',
      h('span', { title: 'Recall score' }, `score ${e.score.toFixed(2)}`), ' · ', plural(e.attempts.length, 'attempt')),
    h('p', { class: 'why' }, h('span', { class: 'label' }, 'Why: '), e.why),
    h('div', { class: 'actions' }, openFinal, notRelevant),
    expanded ? h('ol', { class: 'attempts', id: bodyId, 'aria-label': `Attempts: ${e.title}` }, ...e.attempts.map((a) => attempt(app, e, a))) : null);
}

function attempt(app: App, e: EpisodeCard, a: AttemptView): HTMLElement {
  const exit = a.exitCode === null ? 'exit ?' : `exit ${a.exitCode}`;
  return h('li', { class: `attempt outcome-${a.outcome}` },
    h('div', { class: 'attempt-head' },
      h('code', { class: 'command' }, a.command || '(no command)'),
      h('span', { class: `badge outcome-${a.outcome}` }, exit)),
    h('p', { class: 'meta' }, `${a.outcome} · by ${a.by} · ${age(a.at)}`),
    a.outputTail ? h('details', {}, h('summary', {}, 'Output'), h('pre', { class: 'output' }, a.outputTail)) : null,
    a.patch
      ? h('details', {}, h('summary', {}, a.patchTruncated ? 'Patch (start)' : 'Patch'), h('pre', { class: 'patch' }, a.patch))
      : null,
    a.patch
      ? button('Open patch', () => app.post({ type: 'episode.openPatch', episodeId: e.id, attemptId: a.id }), {
        'aria-label': `Open patch of attempt “${a.command}”`, 'data-key': `ep:${e.id}:${a.id}:patch`,
      })
      : null);
}
