// Insights (lessons): active and proposed, with evidence, age and a stale marker; approve, edit,
// retire, and helpful / not helpful (which moves the importance counter).
import { MAX_INSIGHT_CHARS } from '../../shared/limits';
import type { InsightAction, InsightView } from '../../shared/viewModel';
import type { PanelContext } from './context';
import { button, h, type Child } from '../dom';
import { age, originLabel, plural, shareable } from '../format';
import { renderMarkdown } from '../markdown';

export function renderInsights(app: PanelContext): Child[] {
  const insights = app.state?.insights ?? [];
  const active = insights.filter((i) => i.status === 'active');
  const proposed = insights.filter((i) => i.status === 'proposed');
  // The count is of the lessons recalled for this issue (as the log says); proposals waiting for approval are counted apart.
  const title = h(
    'h3',
    { id: 'insights-title' },
    `Insights (${active.length})`,
    proposed.length ? h('span', { class: 'proposed-count' }, ` + ${proposed.length} proposed`) : null,
  );
  if (!insights.length) return [title, h('p', { class: 'muted' }, 'No lessons for this issue yet.')];
  return [title, h('ul', { class: 'insight-list' }, ...[...active, ...proposed].map((i) => h('li', {}, insight(app, i))))];
}

function insight(app: PanelContext, i: InsightView): HTMLElement {
  const act = (action: InsightAction, text: string, label: string) =>
    button(text, () => app.post({ type: 'insight.action', insightId: i.id, action }), {
      'aria-label': `${label}: ${short(i.text)}`,
      'data-key': `in:${i.id}:${action}`,
    });
  const editing = app.ui.editing?.id === i.id ? app.ui.editing : null;
  const evidence = [
    i.evidence.episodes.length ? plural(i.evidence.episodes.length, 'episode') : null,
    i.evidence.files.length ? `files ${i.evidence.files.slice(0, 4).join(', ')}${i.evidence.files.length > 4 ? '…' : ''}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return h(
    'article',
    { class: `insight status-${i.status}${i.stale ? ' stale' : ''}`, 'aria-label': `Insight: ${short(i.text)}`, 'data-insight': i.id },
    h(
      'div',
      { class: 'insight-head' },
      h('span', { class: 'badge' }, i.role),
      i.status === 'proposed' ? h('span', { class: 'badge proposed' }, 'proposed') : null,
      i.stale ? h('span', { class: 'badge stale', title: 'Not confirmed or used for a long time: check it still holds' }, 'stale') : null,
      h('span', { class: 'meta', title: 'Importance: helpful raises it, not helpful lowers it' }, `importance ${i.importance}`),
      h('span', { class: 'meta' }, `updated ${age(i.updatedAt)}`),
      i.origin ? h('span', { class: 'meta origin', title: 'Where this lesson came from' }, originLabel(i.origin)) : null,
    ),
    editing ? editor(app, i, editing.text) : renderMarkdown(i.text),
    evidence ? h('p', { class: 'meta evidence' }, `Evidence: ${evidence}`) : null,
    editing
      ? null
      : h(
          'div',
          { class: 'actions' },
          i.status === 'proposed' ? act('approve', 'Approve', 'Approve insight') : null,
          act('helpful', '▲ Helpful', 'Helpful'),
          act('not-helpful', '▼ Not helpful', 'Not helpful'),
          button(
            'Edit',
            () => {
              app.ui.editing = { id: i.id, text: i.text };
              app.renderLists();
              app.persist();
            },
            { 'aria-label': `Edit insight: ${short(i.text)}`, 'data-key': `in:${i.id}:edit` },
          ),
          act('retire', 'Retire', 'Retire insight'),
          ...(shareable(i.origin) && i.status === 'active'
            ? [
                button('Share with Team…', () => app.post({ type: 'insight.share', insightId: i.id, to: 'team' }), {
                  'aria-label': `Share with team: ${short(i.text)}`,
                  'data-key': `in:${i.id}:share-team`,
                }),
                button('Share to Repository…', () => app.post({ type: 'insight.share', insightId: i.id, to: 'repo' }), {
                  'aria-label': `Share to repository: ${short(i.text)}`,
                  'data-key': `in:${i.id}:share-repo`,
                }),
              ]
            : []),
        ),
  );
}

function editor(app: PanelContext, i: InsightView, text: string): HTMLElement {
  const area = h('textarea', { 'aria-label': 'Insight text', maxlength: MAX_INSIGHT_CHARS, rows: 4, 'data-key': `in:${i.id}:text` });
  area.value = text;
  area.addEventListener('input', () => {
    app.ui.editing = { id: i.id, text: area.value };
    app.persist();
  });
  const done = () => {
    app.ui.editing = null;
    app.renderLists();
    app.persist();
  };
  const save = button(
    'Save',
    () => {
      const value = area.value.trim();
      if (!value) return app.notify('warning', 'An insight cannot be empty: retire it instead.');
      app.post({ type: 'insight.edit', insightId: i.id, text: value });
      done();
    },
    { class: 'primary', 'aria-label': 'Save insight', 'data-key': `in:${i.id}:save` },
  );
  setTimeout(() => area.isConnected && document.activeElement === document.body && area.focus(), 0);
  return h(
    'div',
    { class: 'editor' },
    area,
    h('div', { class: 'actions' }, save, button('Cancel', done, { 'aria-label': 'Cancel editing', 'data-key': `in:${i.id}:cancel` })),
  );
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
