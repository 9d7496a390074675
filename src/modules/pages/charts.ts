import { Html, html } from './html';

/**
 * Charts drawn on the server as SVG: no script, readable by screen readers (role="img" with a
 * title and a description) and always followed on the page by a table of the same figures, the
 * text alternative. The SVG scales to the width of the screen (viewBox, width 100%).
 */
export interface Series {
  readonly name: string;
  /** One of the layout's colour classes: `received`, `spent`, `lent`, `repaid`. */
  readonly tone: 'received' | 'spent' | 'lent' | 'repaid';
  readonly values: readonly number[];
}

export interface ColumnChart {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
}

/** User units of the viewBox; small enough that 12-unit text stays legible when the chart is drawn 320 pixels wide. */
const WIDTH = 400;
const HEIGHT = 200;
const PAD_LEFT = 8;
const PAD_BOTTOM = 28;
const PAD_TOP = 12;

/** Grouped columns, one group per label (a month), one column per series. */
export function columnChart(chart: ColumnChart): Html {
  const max = Math.max(1, ...chart.series.flatMap((s) => s.values.map((v) => Math.max(0, v))));
  const groups = Math.max(1, chart.labels.length);
  const groupWidth = (WIDTH - PAD_LEFT * 2) / groups;
  const barWidth = Math.max(2, (groupWidth * 0.8) / Math.max(1, chart.series.length));
  const plot = HEIGHT - PAD_BOTTOM - PAD_TOP;
  const bars = chart.labels.map((label, g) => {
    const x0 = PAD_LEFT + g * groupWidth + groupWidth * 0.1;
    const columns = chart.series.map((s, i) => {
      const v = Math.max(0, s.values[g] ?? 0);
      const h = Math.round((v / max) * plot * 10) / 10;
      const x = Math.round((x0 + i * barWidth) * 10) / 10;
      return html`<rect class="bar ${s.tone}" x="${x}" y="${Math.round((PAD_TOP + plot - h) * 10) / 10}" width="${Math.round(barWidth * 10) / 10}" height="${h}"></rect>`;
    });
    return html`${columns}<text class="axis" x="${Math.round((x0 + groupWidth * 0.4) * 10) / 10}" y="${HEIGHT - 8}" text-anchor="middle">${label}</text>`;
  });
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc" focusable="false">
<title id="${chart.id}-title">${chart.title}</title>
<desc id="${chart.id}-desc">${chart.description}</desc>
<line class="baseline" x1="${PAD_LEFT}" y1="${PAD_TOP + plot}" x2="${WIDTH - PAD_LEFT}" y2="${PAD_TOP + plot}"></line>
${bars}
</svg>
<figcaption>${chart.series.map((s) => html`<span class="key ${s.tone}" aria-hidden="true"></span> ${s.name} `)} <span class="muted">(figures in the table below)</span></figcaption>
</figure>`;
}

export interface BarRow {
  readonly label: string;
  readonly value: number;
  /** What is written beside the bar (the formatted amount). */
  readonly text: string;
}

/** Horizontal bars, one per row (a fund or program), labelled with their formatted amounts. */
export function barChart(chart: { id: string; title: string; description: string; tone: Series['tone']; rows: readonly BarRow[] }): Html {
  const rowHeight = 36;
  const height = Math.max(1, chart.rows.length) * rowHeight + 8;
  const max = Math.max(1, ...chart.rows.map((r) => Math.max(0, r.value)));
  const bars = chart.rows.map((r, i) => {
    const y = 4 + i * rowHeight;
    // The longest bar leaves room for its amount beside it.
    const w = Math.round((Math.max(0, r.value) / max) * 260 * 10) / 10;
    return html`<text class="label" x="0" y="${y + 14}">${r.label}</text><rect class="bar ${chart.tone}" x="0" y="${y + 18}" width="${w}" height="12"></rect><text class="value" x="${w + 6}" y="${y + 29}">${r.text}</text>`;
  });
  return html`<figure class="chart">
<svg viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc" focusable="false">
<title id="${chart.id}-title">${chart.title}</title>
<desc id="${chart.id}-desc">${chart.description}</desc>
${bars}
</svg>
</figure>`;
}
