// Between the issue and the recalled cards: the "Looks fixed — save as resolved?" offer (kept until
// answered, unlike a toast) and, after saving, what was saved with a link to its patch.
import { button, h, type Child } from '../dom';
import { plural } from '../format';
import type { PanelContext } from './context';

export function renderResolve(app: PanelContext): Child[] {
  const state = app.state;
  const out: Child[] = [];
  if (state?.offer && state.issue) {
    out.push(
      h(
        'div',
        { class: 'offer', role: 'group', 'aria-label': 'Looks fixed' },
        h(
          'p',
          {},
          h('strong', {}, 'Looks fixed: '),
          'the last test run passed after a failing one. Save this repair to memory as resolved?',
        ),
        h(
          'div',
          { class: 'actions' },
          button('Save as Resolved', () => app.post({ type: 'session.saveResolved' }), { class: 'primary', 'data-key': 'offer:save' }),
          button('Keep Working', () => app.post({ type: 'session.keepWorking' }), { 'data-key': 'offer:keep' }),
        ),
      ),
    );
  }
  const saved = state?.saved;
  if (saved) {
    out.push(
      h(
        'div',
        { class: 'saved', role: 'status', 'aria-label': 'Saved' },
        h('p', {}, `Saved “${saved.title}” as ${saved.outcome} with ${plural(saved.attempts, 'attempt')}.`),
        h(
          'div',
          { class: 'actions' },
          button('Open saved patch', () => app.post({ type: 'episode.openPatch', episodeId: saved.episodeId }), {
            'aria-label': `Open the saved patch of “${saved.title}”`,
            'data-key': 'saved:patch',
          }),
          button('Dismiss', () => app.post({ type: 'session.dismissSaved' }), {
            'aria-label': 'Dismiss the saved message',
            'data-key': 'saved:dismiss',
          }),
        ),
      ),
    );
  }
  return out;
}
