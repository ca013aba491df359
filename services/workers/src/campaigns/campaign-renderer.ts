import type { CampaignTemplateData, CampaignTemplateSnapshot } from '@commerce/contracts';
import Handlebars from 'handlebars';

export interface RenderedCampaignMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A campaign's template snapshot compiled once (strict Handlebars: a missing variable throws). */
export class CampaignTemplate {
  private static readonly handlebars = Handlebars.create();
  private readonly subject: HandlebarsTemplateDelegate;
  private readonly text: HandlebarsTemplateDelegate;
  private readonly html: HandlebarsTemplateDelegate;

  constructor(snapshot: CampaignTemplateSnapshot) {
    const hb = CampaignTemplate.handlebars;
    this.subject = hb.compile(snapshot.subject, { strict: true, noEscape: true });
    this.text = hb.compile(snapshot.text, { strict: true, noEscape: true });
    this.html = hb.compile(snapshot.html, { strict: true });
  }

  /**
   * One recipient's email. The unsubscribe link is in every one: a template that does not show
   * `{{unsubscribeUrl}}` in its text or HTML gets a footer with it.
   */
  render(data: CampaignTemplateData): RenderedCampaignMail {
    const subject = this.subject(data).replace(/\s+/g, ' ').trim();
    let text = this.text(data);
    let html = this.html(data);
    if (!text.includes(data.unsubscribeUrl)) {
      text = `${text.trimEnd()}\n\n--\nUnsubscribe: ${data.unsubscribeUrl}\n`;
    }
    const escaped = Handlebars.escapeExpression(data.unsubscribeUrl);
    if (!html.includes(escaped) && !html.includes(data.unsubscribeUrl)) {
      const footer = `<p style="font-size: 12px;"><a href="${escaped}">Unsubscribe</a></p>`;
      html = html.includes('</body>')
        ? html.replace('</body>', `${footer}\n</body>`)
        : html + footer;
    }
    return { subject, text, html };
  }
}
