import { DEFAULT_TEMPLATES } from './default-templates';
import { TemplateDataError, TemplateRenderer, requiredPaths } from './template-renderer';

const template = (key: string, locale = 'en') => {
  const found = DEFAULT_TEMPLATES.find((t) => t.key === key && t.locale === locale);
  if (!found) throw new Error(`no built-in template ${key}/${locale}`);
  return found;
};

const order = {
  orderId: 'A-1001',
  total: 4998,
  currency: 'EUR',
  items: [
    { name: 'Tea pot', quantity: 1, unitPrice: 2999 },
    { name: 'Cups <set of 2>', quantity: 1, unitPrice: 1999 },
  ],
};

function violationsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateDataError) return error.violations;
    throw error;
  }
  throw new Error('expected a TemplateDataError');
}

describe('TemplateRenderer', () => {
  const renderer = new TemplateRenderer();

  it('renders subject, HTML and text of an order confirmation with formatted money', () => {
    const out = renderer.render(template('order-confirmed'), order, 'en');
    expect(out.subject).toBe('Your order A-1001 is confirmed');
    expect(out.text).toContain('- 1 x Tea pot: €29.99');
    expect(out.text).toContain('Total: €49.98');
    expect(out.html).toContain('<strong>Total: €49.98</strong>');
  });

  it('formats money in the template locale', () => {
    const out = renderer.render(template('order-confirmed', 'de'), order, 'de');
    expect(out.subject).toBe('Ihre Bestellung A-1001 ist bestätigt');
    expect(out.text).toContain('Gesamt: 49,98\u00a0€');
  });

  it('escapes values in HTML but not in the subject and text', () => {
    const source = { subject: 'Hi {{name}}', html: '<p>{{name}}</p>', text: 'Hi {{name}}' };
    const out = renderer.render(source, { name: 'Ada <script>&' }, 'en');
    expect(out.html).toBe('<p>Ada &lt;script&gt;&amp;</p>');
    expect(out.subject).toBe('Hi Ada <script>&');
    expect(out.text).toBe('Hi Ada <script>&');
    const confirmed = renderer.render(template('order-confirmed'), order, 'en');
    expect(confirmed.html).toContain('Cups &lt;set of 2&gt;');
  });

  it('refuses data missing a variable, naming every missing field', () => {
    const { orderId: _orderId, ...noId } = order;
    expect(violationsOf(() => renderer.render(template('order-confirmed'), noId, 'en'))).toEqual([
      { field: 'data.orderId', constraints: ['data.orderId is required by the template'] },
    ]);

    const badItems = {
      ...order,
      items: [
        { name: 'x', quantity: 1 },
        { quantity: 2, unitPrice: 1 },
      ],
    };
    expect(
      violationsOf(() => renderer.render(template('order-confirmed'), badItems, 'en'))
        .map((v) => v.field)
        .sort(),
    ).toEqual(['data.items[0].unitPrice', 'data.items[1].name']);

    expect(
      violationsOf(() => renderer.render(template('order-confirmed'), { orderId: 'x' }, 'en'))
        .map((v) => v.field)
        .sort(),
    ).toEqual(['data.currency', 'data.items', 'data.total']);

    expect(
      violationsOf(() =>
        renderer.render(template('order-confirmed'), { ...order, items: 'none' }, 'en'),
      ),
    ).toEqual([{ field: 'data.items', constraints: ['data.items must be a list'] }]);
  });

  it('refuses money that is not an integer amount or a known currency', () => {
    expect(
      violationsOf(() =>
        renderer.render(template('order-confirmed'), { ...order, total: 49.98 }, 'en'),
      ),
    ).toEqual([
      {
        field: 'data.total',
        constraints: ['data.total must be an integer amount in minor units (e.g. 1999 for 19.99)'],
      },
    ]);
    const badPrice = { ...order, items: [{ name: 'x', quantity: 1, unitPrice: '1' }] };
    expect(
      violationsOf(() => renderer.render(template('order-confirmed'), badPrice, 'en'))[0]?.field,
    ).toBe('data.items[0].unitPrice');
    expect(
      violationsOf(() =>
        renderer.render(template('order-confirmed'), { ...order, currency: 'EURO' }, 'en'),
      )[0]?.field,
    ).toBe('data.currency');
  });

  it('keeps strict mode for what the static check cannot see', () => {
    const source = { subject: 's', html: '{{#if vip}}Dear {{title}}{{/if}}', text: 't' };
    expect(renderer.render(source, {}, 'en').html).toBe('');
    expect(violationsOf(() => renderer.render(source, { vip: true }, 'en'))).toEqual([
      { field: 'data.title', constraints: ['data.title is required by the template'] },
    ]);
  });

  it('refuses a template calling an unknown helper or with a syntax error', () => {
    expect(() => renderer.compile({ subject: '{{shout name}}', html: '', text: '' })).toThrow();
    expect(() => renderer.compile({ subject: '{{#each items}}', html: '', text: '' })).toThrow();
  });

  it('compiles every built-in template', () => {
    for (const definition of DEFAULT_TEMPLATES)
      expect(() => renderer.compile(definition)).not.toThrow();
  });
});

describe('requiredPaths', () => {
  it('reads plain variables, helper arguments and each/with blocks, skipping if/unless', () => {
    expect(
      requiredPaths(
        '{{a}} {{money b.c d}} {{#each items}}{{name}} {{../e}} {{@index}}{{/each}} {{#with f}}{{g}}{{/with}} {{#if h}}{{i}}{{/if}} {{@root.j}}',
      ),
    ).toEqual([
      ['a'],
      ['b', 'c'],
      ['d'],
      ['items'],
      ['items', '[]', 'name'],
      ['e'],
      ['f'],
      ['f', 'g'],
      ['j'],
    ]);
  });
});

describe('built-in order-failed and order-cancelled', () => {
  const renderer = new TemplateRenderer();

  it('show the reason when given and read well without one', () => {
    for (const key of ['order-failed', 'order-cancelled']) {
      const source = DEFAULT_TEMPLATES.find((t) => t.key === key && t.locale === 'en')!;
      const withReason = renderer.render(
        source,
        { orderId: 'A-7', reason: 'payment declined' },
        'en',
      );
      expect(withReason.text).toContain('(payment declined).');
      const without = renderer.render(source, { orderId: 'A-7', total: 100, items: [] }, 'en');
      expect(without.text).not.toContain('(');
      expect(without.subject).toContain('A-7');
    }
  });
});
