import type { Chart } from '../report';
import { describeChart, niceScale, renderChart } from './svg-chart';

/** The bars and target lines of an SVG, from the attributes the writer sets on them. */
function parts(svg: string) {
  const attr = (tag: string, name: string) =>
    Number(new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1]);
  const bars = [...svg.matchAll(/<rect class="bar"[^>]*>/g)].map(([tag]) => ({
    series: /data-series="([^"]+)"/.exec(tag)?.[1],
    value: attr(tag, 'data-value'),
    x: attr(tag, 'x'),
    width: attr(tag, 'width'),
  }));
  const targets = [...svg.matchAll(/<line class="target"[^>]*>/g)].map(([tag]) => ({
    value: attr(tag, 'data-value'),
    x: attr(tag, 'x1'),
  }));
  return { bars, targets };
}

const chart: Chart = {
  title: 'Gateway overhead',
  panels: [
    {
      title: 'Throughput',
      unit: 'req/s',
      targetOp: '>=',
      groups: [
        {
          label: 'GET /jwks',
          bars: [
            { series: 'direct (baseline)', value: 4000 },
            { series: 'gateway', value: 1500 },
          ],
          target: 2400,
        },
        {
          label: 'GET /me',
          bars: [
            { series: 'direct (baseline)', value: 900 },
            { series: 'gateway', value: 450 },
          ],
        },
      ],
    },
    {
      title: 'Latency p50',
      unit: 'ms',
      target: 20,
      targetOp: '<=',
      groups: [{ label: 'GET /jwks', bars: [{ series: 'gateway', value: 14 }] }],
    },
  ],
};

describe('renderChart', () => {
  const svg = renderChart(chart, { id: 'gw', subtitle: 'Run of 2026-12-07 15:00 UTC' });

  it('draws one bar per number, its length proportional to the number within a panel', () => {
    const { bars } = parts(svg);
    expect(bars.map((b) => b.value)).toEqual([4000, 1500, 900, 450, 14]);
    const throughput = bars.slice(0, 4);
    const perUnit = throughput[0]!.width / 4000;
    for (const bar of throughput) expect(bar.width / bar.value).toBeCloseTo(perUnit, 3);
    // All bars start at the same axis origin.
    expect(new Set(bars.map((b) => b.x)).size).toBe(1);
    // The largest bar stays inside the plot: the axis ends at a round number above it (5,000).
    expect(throughput[0]!.width / perUnit).toBeCloseTo(4000, 0);
  });

  it('draws the targets where the numbers would put a bar of that size', () => {
    const { bars, targets } = parts(svg);
    expect(targets.map((t) => t.value)).toEqual([2400, 20]);
    const origin = bars[0]!.x;
    const perUnit = bars[0]!.width / 4000;
    expect(targets[0]!.x - origin).toBeCloseTo(2400 * perUnit, 1);
    // The latency panel has its own scale: 14 ms bar, 20 ms target on an axis of 0..25.
    const latencyPerUnit = bars[4]!.width / 14;
    expect(targets[1]!.x - origin).toBeCloseTo(20 * latencyPerUnit, 1);
    expect(svg).toContain('target ≥ 2,400 req/s');
    expect(svg).toContain('target ≤ 20 ms');
  });

  it('is accessible: labelled by its title and a description that reads out the numbers', () => {
    expect(svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="gw-title gw-desc"/);
    expect(svg).toContain('<title id="gw-title">Gateway overhead</title>');
    expect(svg).toContain(
      '<desc id="gw-desc">Throughput (req/s): GET /jwks: direct (baseline) 4,000, gateway 1,500; target ≥ 2,400; GET /me: direct (baseline) 900, gateway 450. Latency p50 (ms): GET /jwks: gateway 14. Target ≤ 20 ms.</desc>',
    );
    expect(svg).toContain('Run of 2026-12-07 15:00 UTC');
  });

  it('has a legend entry per series, one colour each, and one for the target line', () => {
    const { bars } = parts(svg);
    const colourOf = (series: string) =>
      new RegExp(`data-series="${series.replace(/[()]/g, '\\$&')}"[^>]*fill="([^"]+)"`).exec(
        svg,
      )?.[1];
    expect(colourOf('direct (baseline)')).not.toEqual(colourOf('gateway'));
    expect(new Set(bars.map((b) => b.series))).toEqual(new Set(['direct (baseline)', 'gateway']));
    expect(svg).toContain('>direct (baseline)</text>');
    expect(svg).toContain('>gateway</text>');
    expect(svg).toContain('>target</text>');
  });

  it('says "not measured" instead of drawing a bar for a missing number, and escapes labels', () => {
    const out = renderChart(
      {
        title: 'A <b> & "c"',
        panels: [
          {
            title: 'p',
            unit: 'ms',
            groups: [{ label: 'x<y', bars: [{ series: 's', value: null }] }],
          },
        ],
      },
      { id: 'n' },
    );
    expect(parts(out).bars).toHaveLength(0);
    expect(out).toContain('s: not measured');
    expect(out).toContain('A &#60;b&#62; &#38; &#34;c&#34;');
    expect(out).toContain('x&#60;y');
    expect(out).not.toContain('>target</text>');
  });
});

describe('niceScale', () => {
  it('ends the axis at a round number at or above the largest value', () => {
    expect(niceScale(4000)).toEqual({ max: 4000, step: 1000 });
    expect(niceScale(4300)).toEqual({ max: 5000, step: 1000 });
    expect(niceScale(197)).toEqual({ max: 200, step: 50 });
    expect(niceScale(0.42)).toEqual({ max: 0.5, step: 0.1 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.2 });
  });
});

describe('describeChart', () => {
  it('reads a missing number as not measured', () => {
    expect(
      describeChart({
        title: 't',
        panels: [
          {
            title: 'p',
            unit: 'ms',
            groups: [{ label: 'g', bars: [{ series: 's', value: null }] }],
          },
        ],
      }),
    ).toBe('p (ms): g: s not measured.');
  });
});
