// The Memory Health chart: Recall@5 and precision over time, as two lines on a 0–100% scale, drawn
// as SVG elements (no script, no inline style: classes colour it). By month; over more than
// MAX_POINTS months by quarter, then by year, so each point stands on more than a handful of
// repairs (the figures of a period are merged exactly: counts add up). A period without a value
// leaves a gap; each point names its period, figure and count in a tooltip.
import type { HealthView } from '../../shared/health';
import { h, type Child } from '../dom';
import { svg } from '../svg';

const W = 360;
const H = 150;
const LEFT = 34;
const RIGHT = 8;
const TOP = 8;
const BOTTOM = 22;

type Month = HealthView['months'][number];
type Figures = Omit<Month, 'month'>;

/** Points in the chart before months are merged into quarters (and quarters into years). */
export const MAX_POINTS = 24;

/** The periods the chart shows: months, else quarters ("2021 Q3"), else years. */
export function chartPeriods(months: Month[]): Month[] {
  const quarter = (m: string) => `${m.slice(0, 4)} Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;
  const year = (m: string) => m.slice(0, 4);
  for (const key of [(m: string) => m, quarter, year]) {
    const groups = new Map<string, Month[]>();
    for (const m of months) groups.set(key(m.month), [...(groups.get(key(m.month)) ?? []), m]);
    if (groups.size <= MAX_POINTS || key === year) return [...groups].map(([month, list]) => ({ month, ...merge(list) }));
  }
  return months;
}

/** The figures of several periods together: sums of counts, means weighted by their queries. */
function merge(list: Figures[]): Figures {
  const sum = (f: (x: Figures) => number) => list.reduce((s, x) => s + f(x), 0);
  const relevantQueries = sum((x) => x.relevantQueries);
  const noiseQueries = sum((x) => x.noiseQueries);
  const shown = sum((x) => x.shown);
  const relevantShown = sum((x) => x.relevantShown);
  return {
    queries: sum((x) => x.queries),
    relevantQueries,
    noiseQueries,
    shown,
    relevantShown,
    recall5: relevantQueries ? sum((x) => (x.recall5 ?? 0) * x.relevantQueries) / relevantQueries : null,
    precision: shown ? relevantShown / shown : null,
    noise: noiseQueries ? sum((x) => (x.noise ?? 0) * x.noiseQueries) / noiseQueries : null,
  };
}

const SERIES = [
  { key: 'recall5', name: 'Recall@5', cls: 'series-recall', value: (m: Month) => m.recall5 },
  { key: 'precision', name: 'Precision', cls: 'series-precision', value: (m: Month) => m.precision },
] as const;

export function healthChart(byMonth: Month[]): Child[] {
  if (byMonth.length === 0) return [];
  const months = chartPeriods(byMonth);
  const x = (i: number) => (months.length === 1 ? LEFT + (W - LEFT - RIGHT) / 2 : LEFT + (i * (W - LEFT - RIGHT)) / (months.length - 1));
  const y = (v: number) => TOP + (1 - v) * (H - TOP - BOTTOM);
  const grid = [0, 0.5, 1].flatMap((v) => [
    svg('line', { class: 'grid', x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v) }),
    svg('text', { class: 'axis', x: LEFT - 4, y: y(v) + 4, 'text-anchor': 'end' }, `${v * 100}%`),
  ]);
  const labels = [0, months.length - 1]
    .filter((i, n, a) => a.indexOf(i) === n)
    .map((i) =>
      svg(
        'text',
        { class: 'axis', x: x(i), y: H - 6, 'text-anchor': months.length === 1 ? 'middle' : i === 0 ? 'start' : 'end' },
        months[i].month,
      ),
    );
  const series = SERIES.flatMap((s) => {
    const segments: string[][] = [[]];
    const dots: SVGElement[] = [];
    months.forEach((m, i) => {
      const v = s.value(m);
      if (v === null) {
        if (segments[segments.length - 1].length) segments.push([]);
        return;
      }
      segments[segments.length - 1].push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
      dots.push(
        svg(
          'circle',
          { class: `dot ${s.cls}`, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5 },
          svg('title', {}, `${m.month}: ${s.name} ${(v * 100).toFixed(0)}% (${m.queries} asked)`),
        ),
      );
    });
    return [...segments.filter((p) => p.length > 1).map((p) => svg('polyline', { class: `line ${s.cls}`, points: p.join(' ') })), ...dots];
  });
  const unit = months.length === byMonth.length ? 'month' : months[0].month.length === 4 ? 'year' : 'quarter';
  const summary = `Recall@5 and precision by ${unit}, ${months[0].month} to ${months[months.length - 1].month}, on a scale of 0 to 100%.`;
  return [
    svg(
      'svg',
      { class: 'health-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, 'data-periods': months.length },
      ...grid,
      ...labels,
      ...series,
    ),
    h('p', { class: 'legend' }, ...SERIES.flatMap((s) => [h('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }), ` ${s.name} `])),
  ];
}
