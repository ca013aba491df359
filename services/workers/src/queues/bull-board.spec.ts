import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { renderView } from './bull-board';

describe('renderView', () => {
  it('escapes <%= %> values and inserts <%- %> values verbatim', () => {
    const html = renderView('<title><%= title %></title><script><%- config %></script>', {
      title: '<Queues & "jobs">',
      config: '{"a":"\\u003c"}',
    });
    expect(html).toBe(
      '<title>&lt;Queues &amp; &quot;jobs&quot;&gt;</title><script>{"a":"\\u003c"}</script>',
    );
  });

  it('refuses a variable without a value and template logic it does not support', () => {
    expect(() => renderView('<%= missing %>', {})).toThrow('missing');
    expect(() => renderView('<% if (x) { %>', {})).toThrow('more than variable substitution');
  });

  it('renders the installed Bull Board page completely', () => {
    const ui = dirname(require.resolve('@bull-board/ui/package.json'));
    const template = readFileSync(join(ui, 'dist', 'index.ejs'), 'utf8');
    const html = renderView(template, {
      basePath: '/api/admin/queues/',
      uiConfig: '{}',
      title: 'Commerce queues',
      favIconDefault: 'static/images/logo.svg',
      favIconAlternative: 'static/favicon-32x32.png',
    });
    expect(html).toContain('<base href="/api/admin/queues/" />');
    expect(html).toContain('<title>Commerce queues</title>');
    expect(html).not.toContain('<%');
  });
});
