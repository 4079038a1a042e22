// Recalled past repairs as cards: what, where, how it ended, when, how well it matched and why;
// expanding shows the attempts (command, exit code, output tail, patch). "Not relevant" hides a card
// ("1 hidden · Undo"), keeping keyboard focus on the next card and the scroll position.
import type { AttemptView, EpisodeCard } from '../../shared/viewModel';
import type { PanelContext } from './context';
import { button, h, type Child } from '../dom';
import { age, originLabel, plural, shareable } from '../format';
import { relevanceWordOf } from '../../shared/relevanceWords';

export function renderEpisodes(app: PanelContext): Child[] {
  const state = app.state;
  const hidden = new Set(app.ui.hidden);
  const episodes = (state?.episodes ?? []).filter((e) => !hidden.has(e.id));
  const title = h('h3', { id: 'episodes-title' }, `Recalled experience (${episodes.length})`);
  const note = hiddenNote(app);
  focusSoon(app);
  const weaker =
    state?.issue && state.threshold?.weaker
      ? h(
          'p',
          { class: 'weaker-note', role: 'status' },
          `Showing weaker matches too (below relevance ${state.threshold.minRelevance.toFixed(2)}): judge them with care.`,
        )
      : null;
  if (!episodes.length) {
    if (!state?.issue) return [title, note, h('p', { class: 'muted' }, 'Open an issue to recall past repairs.')];
    // Nothing reached the threshold (cards the user hid do not count): say so, and offer the rest.
    const threshold = state.threshold;
    if (!state.episodes.length && threshold && threshold.minRelevance > 0 && !threshold.weaker)
      return [title, note, noConfidentMatch(app, threshold.minRelevance)];
    return [title, note, weaker, h('p', { class: 'muted', tabindex: '-1', 'data-key': 'recall:none' }, 'No similar past repairs found.')];
  }
  return [title, note, weaker, h('ol', { class: 'cards' }, ...episodes.map((e, i) => h('li', {}, card(app, e, i, episodes))))];
}

function noConfidentMatch(app: PanelContext, min: number): HTMLElement {
  const show = button(
    'Show weaker matches',
    () => {
      focusKey = WEAKER_SHOWN; // the first weaker card (or the "none found" line) once the host answers
      app.post({ type: 'recall.showWeaker' });
    },
    { 'data-key': 'recall:weaker', 'aria-describedby': 'no-confident-match' },
  );
  return h(
    'div',
    { class: 'no-match' },
    h(
      'p',
      { id: 'no-confident-match' },
      `No confident match: no past repair reached relevance ${min.toFixed(2)} for this issue, so none is shown. Weaker matches are probably about other code.`,
    ),
    show,
  );
}

/** The control to focus after the next render (the card that took a hidden one's place, or Undo). */
let focusKey: string | null = null;
/** focusKey after "Show weaker matches": whatever the host's answer put where the button was. */
const WEAKER_SHOWN = 'recall:weaker-shown';

function focusSoon(app: PanelContext): void {
  const key = focusKey;
  if (!key) return;
  setTimeout(() => {
    const el =
      key === WEAKER_SHOWN
        ? app.state?.threshold?.weaker
          ? document.querySelector<HTMLElement>('ol.cards button.toggle, [data-key="recall:none"]')
          : null
        : document.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
    if (!el) return; // not rendered yet (the card comes back with the host's next state)
    focusKey = null;
    el.focus({ preventScroll: true });
  }, 0);
}

function hiddenNote(app: PanelContext): HTMLElement | null {
  const dismissed = app.ui.dismissed;
  const last = dismissed.at(-1);
  if (!last) return null;
  const undo = button(
    'Undo',
    () => {
      app.ui.dismissed = dismissed.slice(0, -1);
      app.ui.hidden = app.ui.hidden.filter((id) => id !== last.id);
      focusKey = `ep:${last.id}:dismiss`;
      app.post({ type: 'episode.undoNotRelevant', episodeId: last.id });
      app.renderLists();
      app.persist();
    },
    { 'aria-label': `Undo not relevant: ${last.title}`, 'data-key': 'ep:undo' },
  );
  return h(
    'p',
    { class: 'hidden-note', role: 'status' },
    h('span', { title: dismissed.map((d) => d.title).join('\n') }, `${dismissed.length} hidden`),
    ' · ',
    undo,
  );
}

function card(app: PanelContext, e: EpisodeCard, index: number, shown: EpisodeCard[]): HTMLElement {
  const expanded = app.ui.expanded.includes(e.id);
  const bodyId = `episode-body-${index}`;
  const toggle = button(
    expanded ? '▾' : '▸',
    () => {
      app.ui.expanded = expanded ? app.ui.expanded.filter((id) => id !== e.id) : [...app.ui.expanded, e.id];
      app.renderLists();
      app.persist();
    },
    {
      class: 'icon toggle',
      'aria-expanded': String(expanded),
      'aria-controls': bodyId,
      'aria-label': `${expanded ? 'Hide' : 'Show'} attempts: ${e.title}`,
      'data-key': `ep:${e.id}:toggle`,
    },
  );
  const notRelevant = button(
    'Not relevant',
    () => {
      const neighbour = shown[index + 1] ?? shown[index - 1];
      focusKey = neighbour ? `ep:${neighbour.id}:dismiss` : 'ep:undo';
      app.ui.hidden = [...app.ui.hidden, e.id];
      app.ui.dismissed = [...app.ui.dismissed.filter((d) => d.id !== e.id), { id: e.id, title: e.title }];
      app.post({ type: 'episode.notRelevant', episodeId: e.id });
      app.renderLists();
      app.persist();
    },
    { 'aria-label': `Not relevant: ${e.title}`, 'data-key': `ep:${e.id}:dismiss` },
  );
  const openFinal = e.hasFinalPatch
    ? button('Open patch', () => app.post({ type: 'episode.openPatch', episodeId: e.id }), {
        'aria-label': `Open final patch: ${e.title}`,
        'data-key': `ep:${e.id}:patch`,
      })
    : null;
  const share = shareable(e.origin)
    ? [
        button('Share with Team…', () => app.post({ type: 'episode.share', episodeId: e.id, to: 'team' }), {
          'aria-label': `Share with team: ${e.title}`,
          'data-key': `ep:${e.id}:share-team`,
        }),
        button('Share to Repository…', () => app.post({ type: 'episode.share', episodeId: e.id, to: 'repo' }), {
          'aria-label': `Share to repository: ${e.title}`,
          'data-key': `ep:${e.id}:share-repo`,
        }),
      ]
    : [];
  return h(
    'article',
    { class: `card outcome-${e.outcome}`, 'aria-label': e.title, 'data-episode': e.id },
    h(
      'div',
      { class: 'card-head' },
      toggle,
      h('span', { class: 'card-title' }, e.title),
      h('span', { class: `badge outcome-${e.outcome}` }, e.outcome),
    ),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: 'repo' }, e.repo),
      ' · ',
      age(e.createdAt),
      ' · ',
      h(
        'span',
        {
          class: `relevance relevance-${relevanceWordOf(e.relevance)}`,
          title: 'Estimated chance that this repair touched the code your issue is about',
        },
        `${relevanceWordOf(e.relevance)} relevance (${e.relevance.toFixed(2)})`,
      ),
      ' · ',
      e.track
        ? h(
            'span',
            { class: 'track', title: 'Sessions in which this memory was used or judged, and in how many it helped (resolved)' },
            e.track,
          )
        : null,
      e.track ? ' · ' : null,
      plural(e.attempts.length, 'attempt'),
      e.origin ? ' · ' : null,
      e.origin ? h('span', { class: 'origin', title: 'Where this memory came from' }, originLabel(e.origin)) : null,
    ),
    h('p', { class: 'why' }, h('span', { class: 'label' }, 'Why: '), e.why),
    h('div', { class: 'actions' }, openFinal, notRelevant, ...share),
    expanded
      ? h('ol', { class: 'attempts', id: bodyId, 'aria-label': `Attempts: ${e.title}` }, ...e.attempts.map((a) => attempt(app, e, a)))
      : null,
  );
}

function attempt(app: PanelContext, e: EpisodeCard, a: AttemptView): HTMLElement {
  const exit = a.exitCode === null ? 'exit ?' : `exit ${a.exitCode}`;
  return h(
    'li',
    { class: `attempt outcome-${a.outcome}` },
    h(
      'div',
      { class: 'attempt-head' },
      h('code', { class: 'command' }, a.command || '(no command)'),
      h('span', { class: `badge outcome-${a.outcome}` }, exit),
    ),
    h('p', { class: 'meta' }, `${a.outcome} · by ${a.by} · ${age(a.at)}`),
    a.outputTail ? h('details', {}, h('summary', {}, 'Output'), h('pre', { class: 'output' }, a.outputTail)) : null,
    a.patch
      ? h('details', {}, h('summary', {}, a.patchTruncated ? 'Patch (start)' : 'Patch'), h('pre', { class: 'patch' }, a.patch))
      : null,
    a.patch
      ? button('Open patch', () => app.post({ type: 'episode.openPatch', episodeId: e.id, attemptId: a.id }), {
          'aria-label': `Open patch of attempt “${a.command}”`,
          'data-key': `ep:${e.id}:${a.id}:patch`,
        })
      : null,
  );
}
