/**
 * A horizontal bar chart as SVG text: one panel per unit, a group of bars per measured thing
 * (subject next to baseline), dashed lines for targets. Written here rather than taken from a
 * chart library because the charts are small, fixed in shape and must render to a committed file
 * in Node with no browser; the libraries that do that (vega, chart.js + canvas) pull in far more
 * than these ~200 lines.
 */
import type { Chart, ChartPanel } from '../report';
import { formatNumber } from './format';

const WIDTH = 760;
const RIGHT_MARGIN = 90;
/** Rough advance of a 12px sans-serif character; SVG text cannot be measured without a browser. */
const CHAR_WIDTH = 6.8;
const BAR_HEIGHT = 16;
const BAR_GAP = 3;
const GROUP_GAP = 16;
const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
/** Okabe-Ito: told apart with the common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'];
const TARGET_COLOUR = '#C00000';

export interface ChartOptions {
  /** Unique in the page: prefixes the ids that <title>/<desc> are referenced by. */
  id: string;
  /** Shown under the title, e.g. which run the bars come from. */
  subtitle?: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Axis end and tick step: the smallest 1, 2, 2.5 or 5 times a power of ten giving <= 5 ticks. */
export function niceScale(max: number): { max: number; step: number } {
  if (!(max > 0)) return { max: 1, step: 0.2 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { max: Math.ceil(max / step - 1e-9) * step, step };
}

/** Series in order of first appearance, so the legend and colours are stable across runs. */
function seriesOf(chart: Chart): string[] {
  const seen: string[] = [];
  for (const panel of chart.panels)
    for (const group of panel.groups)
      for (const bar of group.bars) if (!seen.includes(bar.series)) seen.push(bar.series);
  return seen;
}

function opText(op: ChartPanel['targetOp']): string {
  return op === '<=' ? '≤ ' : op === '>=' ? '≥ ' : '';
}

/** The chart in words, for screen readers and for anyone reading the SVG source. */
export function describeChart(chart: Chart): string {
  return chart.panels
    .map((panel) => {
      const groups = panel.groups.map((group) => {
        const bars = group.bars
          .map((b) => `${b.series} ${b.value === null ? 'not measured' : formatNumber(b.value)}`)
          .join(', ');
        const target =
          group.target === undefined
            ? ''
            : `; target ${opText(panel.targetOp)}${formatNumber(group.target)}`;
        return `${group.label}: ${bars}${target}`;
      });
      const target =
        panel.target === undefined
          ? ''
          : ` Target ${opText(panel.targetOp)}${formatNumber(panel.target)} ${panel.unit}.`;
      return `${panel.title} (${panel.unit}): ${groups.join('; ')}.${target}`;
    })
    .join(' ');
}

/** Group labels get the room the longest one needs (within bounds); the plot takes the rest. */
interface Layout {
  labelWidth: number;
  plotWidth: number;
}

function layoutOf(chart: Chart): Layout {
  const longest = Math.max(0, ...chart.panels.flatMap((p) => p.groups.map((g) => g.label.length)));
  const labelWidth = Math.min(360, Math.max(120, Math.ceil(longest * CHAR_WIDTH) + 16));
  return { labelWidth, plotWidth: WIDTH - labelWidth - RIGHT_MARGIN };
}

/** Splits a title into lines that fit the width (by words). */
function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

export function renderChart(chart: Chart, options: ChartOptions): string {
  const layout = layoutOf(chart);
  const series = seriesOf(chart);
  const colour = (name: string) => PALETTE[series.indexOf(name) % PALETTE.length] as string;
  const hasTarget = chart.panels.some(
    (p) => p.target !== undefined || p.groups.some((g) => g.target !== undefined),
  );
  const out: string[] = [];
  let y = 4;
  for (const line of wrap(chart.title, Math.floor((WIDTH - 24) / 10))) {
    y += 20;
    out.push(`<text x="12" y="${y}" font-size="16" font-weight="bold">${escapeXml(line)}</text>`);
  }
  if (options.subtitle) {
    y += 18;
    out.push(
      `<text x="12" y="${y}" font-size="12" fill="#555">${escapeXml(options.subtitle)}</text>`,
    );
  }

  // Legend: a swatch per series, then the target line; wraps when the row is full.
  y += 22;
  let x = 12;
  const legendItem = (width: number, draw: (x: number, y: number) => string) => {
    if (x + width > WIDTH - 12) {
      x = 12;
      y += 20;
    }
    out.push(draw(x, y));
    x += width;
  };
  for (const name of series) {
    legendItem(30 + name.length * 7, (lx, ly) =>
      [
        `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour(name)}"/>`,
        `<text x="${lx + 17}" y="${ly}" font-size="12">${escapeXml(name)}</text>`,
      ].join(''),
    );
  }
  if (hasTarget) {
    legendItem(80, (lx, ly) =>
      [
        `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 14}" y2="${ly - 4}" stroke="${TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 2"/>`,
        `<text x="${lx + 19}" y="${ly}" font-size="12">target</text>`,
      ].join(''),
    );
  }
  y += 14;

  for (const [index, panel] of chart.panels.entries()) {
    y = renderPanel(out, panel, y + 22, layout, colour, `${options.id}-p${index}`);
  }
  const height = y + 12;

  const titleId = `${options.id}-title`;
  const descId = `${options.id}-desc`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${titleId} ${descId}" font-family="${FONT}" fill="#222">`,
    `<title id="${titleId}">${escapeXml(chart.title)}</title>`,
    `<desc id="${descId}">${escapeXml(describeChart(chart))}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    ...out,
    '</svg>',
    '',
  ].join('\n');
}

/** Draws one panel from `top`; returns the y where it ends. */
function renderPanel(
  out: string[],
  panel: ChartPanel,
  top: number,
  { labelWidth: LABEL_WIDTH, plotWidth: PLOT_WIDTH }: Layout,
  colour: (series: string) => string,
  id: string,
): number {
  const values = panel.groups.flatMap((g) => [...g.bars.map((b) => b.value ?? 0), g.target ?? 0]);
  const scale = niceScale(Math.max(0, ...values, panel.target ?? 0));
  const xOf = (v: number) => LABEL_WIDTH + (Math.max(0, v) / scale.max) * PLOT_WIDTH;
  const fmt = (v: number) => formatNumber(v);
  const targetText = (v: number) => `target ${opText(panel.targetOp)}${fmt(v)} ${panel.unit}`;

  out.push(
    `<text x="12" y="${top}" font-size="13" font-weight="bold">${escapeXml(`${panel.title} (${panel.unit})`)}</text>`,
  );
  // Room under the title for a target's label above the first group.
  const plotTop = top + 24;
  let y = plotTop;
  // Layers, drawn in this order over the grid: bars, target lines, then every text on top.
  const bars: string[] = [];
  const lines: string[] = [];
  const labels: string[] = [];
  for (const group of panel.groups) {
    const groupTop = y;
    for (const bar of group.bars) {
      const label = `${group.label}, ${bar.series}: ${bar.value === null ? 'not measured' : `${fmt(bar.value)} ${panel.unit}`}`;
      if (bar.value === null) {
        labels.push(
          `<text x="${LABEL_WIDTH + 4}" y="${y + 12}" font-size="11" fill="#555">${escapeXml(`${bar.series}: not measured`)}</text>`,
        );
      } else {
        const width = xOf(bar.value) - LABEL_WIDTH;
        bars.push(
          `<rect class="bar" data-series="${escapeXml(bar.series)}" data-value="${bar.value}" x="${LABEL_WIDTH}" y="${y}" width="${width.toFixed(2)}" height="${BAR_HEIGHT}" fill="${colour(bar.series)}"><title>${escapeXml(label)}</title></rect>`,
        );
        labels.push(
          // A white halo keeps the number legible where a target line crosses it.
          `<text x="${(LABEL_WIDTH + width + 4).toFixed(2)}" y="${y + 12}" font-size="11" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeXml(fmt(bar.value))}</text>`,
        );
      }
      y += BAR_HEIGHT + BAR_GAP;
    }
    const groupBottom = y - BAR_GAP;
    const middle = (groupTop + groupBottom) / 2 + 4;
    labels.push(
      `<text x="${LABEL_WIDTH - 8}" y="${middle}" font-size="12" text-anchor="end">${escapeXml(group.label)}</text>`,
    );
    if (group.target !== undefined) {
      const tx = xOf(group.target).toFixed(2);
      lines.push(
        `<line class="target" data-value="${group.target}" x1="${tx}" y1="${groupTop - 3}" x2="${tx}" y2="${groupBottom + 3}" stroke="${TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 2"><title>${escapeXml(`${group.label}: ${targetText(group.target)}`)}</title></line>`,
      );
      labels.push(
        `<text x="${tx}" y="${groupTop - 5}" font-size="10" text-anchor="middle" fill="${TARGET_COLOUR}">${escapeXml(targetText(group.target))}</text>`,
      );
    }
    y += GROUP_GAP;
  }
  const plotBottom = y - GROUP_GAP + 4;

  // Grid and axis, under everything else.
  const grid: string[] = [];
  for (let v = 0; v <= scale.max + scale.step / 1e6; v += scale.step) {
    const gx = xOf(v).toFixed(2);
    grid.push(
      `<line x1="${gx}" y1="${plotTop - 4}" x2="${gx}" y2="${plotBottom}" stroke="#ddd"/>`,
      `<text x="${gx}" y="${plotBottom + 14}" font-size="10" text-anchor="middle" fill="#555">${escapeXml(fmt(v))}</text>`,
    );
  }
  grid.push(
    `<line x1="${LABEL_WIDTH}" y1="${plotBottom}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y2="${plotBottom}" stroke="#888"/>`,
    `<text x="${LABEL_WIDTH + PLOT_WIDTH}" y="${plotBottom + 28}" font-size="10" text-anchor="end" fill="#555">${escapeXml(panel.unit)}</text>`,
  );
  if (panel.target !== undefined) {
    const tx = xOf(panel.target).toFixed(2);
    lines.push(
      `<line class="target" data-value="${panel.target}" x1="${tx}" y1="${plotTop - 6}" x2="${tx}" y2="${plotBottom}" stroke="${TARGET_COLOUR}" stroke-width="2" stroke-dasharray="4 2"><title>${escapeXml(targetText(panel.target))}</title></line>`,
    );
    labels.push(
      `<text x="${tx}" y="${plotTop - 8}" font-size="10" text-anchor="middle" fill="${TARGET_COLOUR}">${escapeXml(targetText(panel.target))}</text>`,
    );
  }
  out.push(`<g id="${id}">`, ...grid, ...bars, ...lines, ...labels, '</g>');
  return plotBottom + 30;
}
