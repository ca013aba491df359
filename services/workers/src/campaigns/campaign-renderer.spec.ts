import { CampaignTemplate } from './campaign-renderer';

const data = {
  name: 'Ada <Lovelace>',
  email: 'ada@example.com',
  unsubscribeUrl: 'http://shop.test/api/notifications/unsubscribe?token=abc.def',
};

describe('CampaignTemplate', () => {
  it('renders subject and text unescaped and HTML escaped', () => {
    const out = new CampaignTemplate({
      subject: 'Hi {{name}}',
      text: 'Hello {{name}}\nUnsubscribe: {{unsubscribeUrl}}\n',
      html: '<p>Hello {{name}}</p><a href="{{unsubscribeUrl}}">Unsubscribe</a>',
    }).render(data);
    expect(out.subject).toBe('Hi Ada <Lovelace>');
    expect(out.text).toBe(`Hello Ada <Lovelace>\nUnsubscribe: ${data.unsubscribeUrl}\n`);
    expect(out.html).toContain('Hello Ada &lt;Lovelace&gt;');
    expect(out.html).toContain('token&#x3D;abc.def');
    expect(out.html.match(/Unsubscribe/g)).toHaveLength(1);
  });

  it('adds the unsubscribe link when the template lacks it', () => {
    const out = new CampaignTemplate({
      subject: 'News',
      text: 'Hello {{name}}',
      html: '<html><body><p>Hello</p></body></html>',
    }).render(data);
    expect(out.text).toContain(`Unsubscribe: ${data.unsubscribeUrl}`);
    expect(out.html).toMatch(/<a href="[^"]+token&#x3D;abc\.def">Unsubscribe<\/a><\/p>\n<\/body>/);
  });

  it('refuses a variable campaigns do not provide (strict)', () => {
    const template = new CampaignTemplate({ subject: '{{orderId}}', text: 't', html: 'h' });
    expect(() => template.render(data)).toThrow(/orderId/);
  });
});
