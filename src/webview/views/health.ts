// Memory Health: whether the memory earns its place in a prompt, from the same measurement as
// `dejafix eval` (the host runs it). Closed, it is one button; open, it measures with a progress
// bar and Cancel, then shows Recall@5, precision and noise (at the threshold and without), a chart
// by month, the repositories and the feedback counters.
import type { HealthFigures, HealthProblem, HealthView } from '../../shared/health';
import type { ToWebview } from '../../shared/toWebview';
import { button, h, replaceContent, type Child } from '../dom';
import { plural } from '../format';
import { newRequestId } from '../host';
import type { PanelContext } from './context';
import { healthChart } from './healthChart';

type Phase =
  | { kind: 'closed' }
  | { kind: 'running'; requestId: string; done: number; total: number }
  | { kind: 'report'; report: HealthView }
  | { kind: 'problem'; problem: HealthProblem; message: string };

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(0)}%`);
const num = (x: number | null, d: number) => (x === null ? '—' : x.toFixed(d));

export class HealthPanel {
  readonly root = h('section', { class: 'health', 'aria-labelledby': 'health-title' });
  private phase: Phase = { kind: 'closed' };

  constructor(private readonly app: Pick<PanelContext, 'post' | 'persist' | 'ui'>) {
    // The report survives the panel being hidden or reloaded while its view is open.
    if (app.ui.health) this.phase = { kind: 'report', report: app.ui.health };
    this.render();
  }

  /** Opens the view and measures (the panel's button, or the command through `health.open`). */
  open(): void {
    if (this.phase.kind === 'running') return this.focusTitle();
    const requestId = newRequestId('health');
    this.phase = { kind: 'running', requestId, done: 0, total: 0 };
    this.app.post({ type: 'health.run', requestId });
    this.render();
    this.focusTitle();
  }

  close(): void {
    this.cancel();
    this.phase = { kind: 'closed' };
    this.keep(null);
    this.render();
    this.root.querySelector<HTMLElement>('button.health-open')?.focus();
  }

  receive(m: Extract<ToWebview, { type: `health.${string}` }>): void {
    if (m.type === 'health.open') return this.open();
    if (this.phase.kind !== 'running' || m.requestId !== this.phase.requestId) return;
    if (m.type === 'health.progress') {
      this.phase = { ...this.phase, done: m.done, total: m.total };
      const bar = this.root.querySelector('progress');
      const text = this.root.querySelector('.health-progress-text');
      if (bar && text) {
        bar.max = Math.max(1, m.total);
        bar.value = m.done;
        text.textContent = progressText(m.done, m.total);
        return;
      }
    } else if (m.type === 'health.result') {
      this.phase = { kind: 'report', report: m.report };
      this.keep(m.report);
    } else {
      this.phase = { kind: 'problem', problem: m.problem, message: m.message };
      this.keep(null);
    }
    this.render();
  }

  private keep(report: HealthView | null): void {
    this.app.ui.health = report;
    this.app.persist();
  }

  private cancel(): void {
    if (this.phase.kind === 'running') this.app.post({ type: 'health.cancel', requestId: this.phase.requestId });
  }

  private focusTitle(): void {
    this.root.querySelector<HTMLElement>('#health-title')?.focus();
  }

  private render(): void {
    const p = this.phase;
    if (p.kind === 'closed') {
      replaceContent(
        this.root,
        h('h2', { id: 'health-title', class: 'visually-hidden' }, 'Memory Health'),
        button('Memory Health', () => this.open(), {
          class: 'health-open',
          'aria-expanded': 'false',
          'data-key': 'health-open',
          title: 'Measure whether recall finds the right past repairs in your memory',
        }),
      );
      return;
    }
    const head = h(
      'div',
      { class: 'section-head' },
      h('h2', { id: 'health-title', tabindex: '-1' }, 'Memory Health'),
      p.kind === 'running' ? null : button('Measure again', () => this.open(), { 'data-key': 'health-again' }),
      button('Close', () => this.close(), { 'aria-label': 'Close Memory Health', 'data-key': 'health-close' }),
    );
    replaceContent(this.root, head, ...this.body(p));
  }

  private body(p: Exclude<Phase, { kind: 'closed' }>): Child[] {
    if (p.kind === 'running') {
      return [
        h('p', { class: 'muted' }, 'Asking each resolved repair in your memory as a new issue, against only the older ones…'),
        h(
          'div',
          { class: 'health-progress' },
          h('progress', { max: Math.max(1, p.total), value: p.done, 'aria-label': 'Memory Health progress' }),
          h('span', { class: 'health-progress-text', role: 'status' }, progressText(p.done, p.total)),
          button('Cancel', () => this.cancel(), { 'aria-label': 'Cancel measuring', 'data-key': 'health-cancel' }),
        ),
      ];
    }
    if (p.kind === 'problem')
      return [
        h(
          'p',
          { class: p.problem === 'failed' ? 'reason error' : 'reason', role: 'status' },
          p.problem === 'failed' ? `Could not measure the memory: ${p.message}` : p.message,
        ),
      ];
    return report(p.report);
  }
}

function progressText(done: number, total: number): string {
  return total ? `${done} of ${total} repairs asked` : 'Reading the memory…';
}

function report(r: HealthView): Child[] {
  const o = r.overall;
  const u = r.unfiltered;
  const th = r.minRelevance.toFixed(2);
  const row = (name: string, help: string, at: string, top: string) =>
    h('tr', {}, h('th', { scope: 'row' }, name, h('div', { class: 'help' }, help)), h('td', {}, at), h('td', {}, top));
  return [
    h(
      'p',
      { class: 'health-summary' },
      `Asked ${plural(o.queries, 'past repair')} as new issues against the older memory (${plural(r.episodes, 'episode')}, ${r.resolved} resolved): ${o.relevantQueries} had a relevant earlier repair, ${o.noiseQueries} had none.`,
    ),
    h(
      'table',
      { class: 'health-figures' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Figure'),
          h('th', { scope: 'col' }, `Relevance ≥ ${th}`),
          h('th', { scope: 'col' }, 'Always top 5'),
        ),
      ),
      h(
        'tbody',
        {},
        row('Recall@5', 'relevant past repairs found in the top 5', num(o.recall5, 2), num(u.recall5, 2)),
        row(
          'Precision',
          'results shown that were relevant',
          `${pct(o.precision)} (${o.relevantShown}/${o.shown})`,
          `${pct(u.precision)} (${u.relevantShown}/${u.shown})`,
        ),
        row('Noise', 'results shown when nothing relevant existed', num(o.noise, 2), num(u.noise, 2)),
      ),
    ),
    ...midRepair(r),
    h('h3', {}, 'Over time'),
    ...healthChart(r.months),
    h(
      'details',
      { class: 'health-months' },
      h('summary', {}, 'Figures by month'),
      figuresTable(
        'Month',
        r.months.map((m) => [m.month, m]),
      ),
    ),
    h('h3', {}, 'By repository'),
    figuresTable(
      'Repository',
      r.repos.slice(0, 10).map((x) => [x.repo, x]),
    ),
    r.repos.length > 10 ? h('p', { class: 'muted' }, `… and ${r.repos.length - 10} more (dejafix eval --json lists all)`) : null,
    h(
      'p',
      { class: 'health-feedback' },
      r.utility
        ? `Feedback: ${plural(r.utility.lessons.voted, 'lesson')} voted on, ${r.utility.lessons.helpful} helpful, ${r.utility.lessons.unhelpful} not helpful.`
        : 'Feedback: none recorded yet.',
    ),
  ];
}

/** The repairs asked again after a failed attempt, with the files it changed (nothing when none had one). */
function midRepair(r: HealthView): Child[] {
  if (!r.midRepair) return [];
  const { overall: o, unfiltered: u } = r.midRepair;
  return [
    h('h3', {}, 'After a failed attempt'),
    h(
      'p',
      { class: 'health-midrepair' },
      `Asked ${plural(o.queries, 'past repair')} again with the files its failed attempt changed, as recall sees them mid-repair: ` +
        `Recall@5 ${num(o.recall5, 2)}, precision ${pct(o.precision)}, noise ${num(o.noise, 2)} at relevance ≥ ${r.minRelevance.toFixed(2)} ` +
        `(always top 5: ${num(u.recall5, 2)}, ${pct(u.precision)}, ${num(u.noise, 2)}).`,
    ),
  ];
}

function figuresTable(first: string, rows: [string, HealthFigures][]): HTMLTableElement {
  return h(
    'table',
    { class: 'health-table' },
    h('thead', {}, h('tr', {}, ...[first, 'Asked', 'Recall@5', 'Precision', 'Noise'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map(([k, f]) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, k),
          h('td', {}, f.queries),
          h('td', {}, num(f.recall5, 2)),
          h('td', {}, pct(f.precision)),
          h('td', {}, num(f.noise, 2)),
        ),
      ),
    ),
  );
}
