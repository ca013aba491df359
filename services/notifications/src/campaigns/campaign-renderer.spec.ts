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

  it('formats money in the campaign locale, as the notifications templates do', () => {
    const template = {
      subject: 'Save {{money 1999 "EUR"}}',
      text: 'Vouchers from {{money 500 "EUR"}}',
      html: '<p>{{money 123456 "EUR"}}</p>',
    };
    const en = new CampaignTemplate(template, 'en').render(data);
    expect(en.subject).toBe('Save €19.99');
    expect(en.text).toContain('Vouchers from €5.00');
    const de = new CampaignTemplate(template, 'de').render(data);
    expect(de.subject).toBe('Save 19,99\u00a0€');
    expect(de.html).toContain('<p>1.234,56\u00a0€</p>');
    expect(() =>
      new CampaignTemplate({ ...template, subject: '{{money 19.99 "EUR"}}' }).render(data),
    ).toThrow(/integer/);
  });
});
