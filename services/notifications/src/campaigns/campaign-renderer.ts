import { formatMoney } from '@commerce/contracts';
import Handlebars from 'handlebars';
import type { CampaignTemplateSnapshot } from './campaign.schema';

/** The variables every campaign template may use (from the job's CampaignJobData). */
export interface CampaignTemplateData {
  name: string;
  email: string;
  unsubscribeUrl: string;
}

export interface RenderedCampaignMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/**
 * A campaign's template snapshot compiled once (strict Handlebars: a missing variable throws),
 * with the helper the notifications service's templates have, so a template it accepted at
 * creation renders here too: `{{money amountMinor "EUR"}}` in the campaign's locale.
 */
export class CampaignTemplate {
  private static readonly handlebars = campaignHandlebars();
  private readonly subject: HandlebarsTemplateDelegate;
  private readonly text: HandlebarsTemplateDelegate;
  private readonly html: HandlebarsTemplateDelegate;

  constructor(
    snapshot: CampaignTemplateSnapshot,
    private readonly locale = 'en',
  ) {
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
    const runtime = { data: { locale: this.locale } };
    // One line (a header), but a no-break space (as in "19,99 €") stays one.
    const subject = this.subject(data, runtime)
      .replace(/[^\S\u00a0]+/g, ' ')
      .trim();
    let text = this.text(data, runtime);
    let html = this.html(data, runtime);
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

function campaignHandlebars(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper(
    'money',
    (amount: unknown, currency: unknown, options: Handlebars.HelperOptions) => {
      const locale = (options.data as { locale?: string } | undefined)?.locale ?? 'en';
      // formatMoney refuses a fraction of a minor unit or an unknown currency (the job then fails
      // for good: the same data renders the same way next time).
      return formatMoney(Number(amount), String(currency), locale);
    },
  );
  return hb;
}
