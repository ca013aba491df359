import { NotificationTemplate } from '@commerce/contracts';
import type { TemplateSource } from './template-renderer';

/** The locale every template exists in; requests for a locale without its own version get it. */
export const DEFAULT_LOCALE = 'en';

export interface TemplateDefinition extends TemplateSource {
  readonly key: string;
  readonly locale: string;
}

// One layout for every HTML email: inline styles only (mail clients drop <style> blocks).
const layout = (body: string) =>
  `<!doctype html>
<html><body style="font-family: Helvetica, Arial, sans-serif; color: #1f2933; line-height: 1.5;">
${body}
</body></html>
`;

const itemsTableEn = `<table style="border-collapse: collapse;">
<thead><tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Price</th></tr></thead>
<tbody>
{{#each items}}<tr><td>{{name}}</td><td align="right">{{quantity}}</td><td align="right">{{money unitPrice ../currency}}</td></tr>
{{/each}}</tbody>
</table>`;

const itemsTableDe = `<table style="border-collapse: collapse;">
<thead><tr><th align="left">Artikel</th><th align="right">Menge</th><th align="right">Preis</th></tr></thead>
<tbody>
{{#each items}}<tr><td>{{name}}</td><td align="right">{{quantity}}</td><td align="right">{{money unitPrice ../currency}}</td></tr>
{{/each}}</tbody>
</table>`;

/**
 * The templates the service seeds at start. Variables: order-confirmed needs `orderId`, `total`
 * and `currency` (minor units, ISO 4217) and `items: [{name, quantity, unitPrice}]`;
 * order-failed and order-cancelled need `orderId` (and show `reason` when given); welcome needs
 * `name`; newsletter (campaigns) needs `name` and `unsubscribeUrl`. Extra values (the checkout passes the order's items and total everywhere) are ignored.
 */
export const DEFAULT_TEMPLATES: readonly TemplateDefinition[] = [
  {
    key: NotificationTemplate.ORDER_CONFIRMED,
    locale: 'en',
    subject: 'Your order {{orderId}} is confirmed',
    html: layout(`<h1>Thank you for your order</h1>
<p>Your order <strong>{{orderId}}</strong> is confirmed and will be on its way soon.</p>
${itemsTableEn}
<p><strong>Total: {{money total currency}}</strong></p>`),
    text: `Thank you for your order

Your order {{orderId}} is confirmed and will be on its way soon.

{{#each items}}- {{quantity}} x {{name}}: {{money unitPrice ../currency}}
{{/each}}
Total: {{money total currency}}
`,
  },
  {
    key: NotificationTemplate.ORDER_CONFIRMED,
    locale: 'de',
    subject: 'Ihre Bestellung {{orderId}} ist bestätigt',
    html: layout(`<h1>Vielen Dank für Ihre Bestellung</h1>
<p>Ihre Bestellung <strong>{{orderId}}</strong> ist bestätigt und wird in Kürze versandt.</p>
${itemsTableDe}
<p><strong>Gesamt: {{money total currency}}</strong></p>`),
    text: `Vielen Dank für Ihre Bestellung

Ihre Bestellung {{orderId}} ist bestätigt und wird in Kürze versandt.

{{#each items}}- {{quantity}} x {{name}}: {{money unitPrice ../currency}}
{{/each}}
Gesamt: {{money total currency}}
`,
  },
  {
    key: NotificationTemplate.ORDER_FAILED,
    locale: 'en',
    subject: 'We could not complete your order {{orderId}}',
    html: layout(`<h1>Your order could not be completed</h1>
<p>We are sorry: your order <strong>{{orderId}}</strong> could not be completed{{#if reason}} ({{reason}}){{/if}}.</p>
<p>You have not been charged; any reserved items are back in stock.</p>`),
    text: `Your order could not be completed

We are sorry: your order {{orderId}} could not be completed{{#if reason}} ({{reason}}){{/if}}.
You have not been charged; any reserved items are back in stock.
`,
  },
  {
    key: NotificationTemplate.ORDER_FAILED,
    locale: 'de',
    subject: 'Ihre Bestellung {{orderId}} konnte nicht abgeschlossen werden',
    html: layout(`<h1>Ihre Bestellung konnte nicht abgeschlossen werden</h1>
<p>Leider konnte Ihre Bestellung <strong>{{orderId}}</strong> nicht abgeschlossen werden{{#if reason}} ({{reason}}){{/if}}.</p>
<p>Ihnen wurde nichts berechnet; reservierte Artikel sind wieder verfügbar.</p>`),
    text: `Ihre Bestellung konnte nicht abgeschlossen werden

Leider konnte Ihre Bestellung {{orderId}} nicht abgeschlossen werden{{#if reason}} ({{reason}}){{/if}}.
Ihnen wurde nichts berechnet; reservierte Artikel sind wieder verfügbar.
`,
  },
  {
    key: NotificationTemplate.ORDER_CANCELLED,
    locale: 'en',
    subject: 'Your order {{orderId}} has been cancelled',
    html: layout(`<h1>Your order has been cancelled</h1>
<p>Your order <strong>{{orderId}}</strong> has been cancelled{{#if reason}} ({{reason}}){{/if}}.</p>
<p>Any payment has been refunded.</p>`),
    text: `Your order has been cancelled

Your order {{orderId}} has been cancelled{{#if reason}} ({{reason}}){{/if}}.
Any payment has been refunded.
`,
  },
  {
    key: NotificationTemplate.ORDER_CANCELLED,
    locale: 'de',
    subject: 'Ihre Bestellung {{orderId}} wurde storniert',
    html: layout(`<h1>Ihre Bestellung wurde storniert</h1>
<p>Ihre Bestellung <strong>{{orderId}}</strong> wurde storniert{{#if reason}} ({{reason}}){{/if}}.</p>
<p>Eine bereits geleistete Zahlung wurde erstattet.</p>`),
    text: `Ihre Bestellung wurde storniert

Ihre Bestellung {{orderId}} wurde storniert{{#if reason}} ({{reason}}){{/if}}.
Eine bereits geleistete Zahlung wurde erstattet.
`,
  },
  {
    key: NotificationTemplate.WELCOME,
    locale: 'en',
    subject: 'Welcome, {{name}}',
    html: layout(`<h1>Welcome, {{name}}!</h1>
<p>Your account is ready. Happy shopping.</p>`),
    text: `Welcome, {{name}}!

Your account is ready. Happy shopping.
`,
  },
  {
    key: NotificationTemplate.WELCOME,
    locale: 'de',
    subject: 'Willkommen, {{name}}',
    html: layout(`<h1>Willkommen, {{name}}!</h1>
<p>Ihr Konto ist eingerichtet. Viel Spaß beim Einkaufen.</p>`),
    text: `Willkommen, {{name}}!

Ihr Konto ist eingerichtet. Viel Spaß beim Einkaufen.
`,
  },
  {
    key: NotificationTemplate.NEWSLETTER,
    locale: 'en',
    subject: 'News from the shop, {{name}}',
    html: layout(`<h1>Hello {{name}},</h1>
<p>Here is what is new in the shop this month: fresh arrivals, restocked favourites and a few
offers for you.</p>
<p style="font-size: 12px; color: #616e7c;">You receive this email as a customer of the shop.
<a href="{{unsubscribeUrl}}">Unsubscribe</a> from these emails.</p>`),
    text: `Hello {{name}},

Here is what is new in the shop this month: fresh arrivals, restocked favourites and a few
offers for you.

--
You receive this email as a customer of the shop.
Unsubscribe: {{unsubscribeUrl}}
`,
  },
  {
    key: NotificationTemplate.NEWSLETTER,
    locale: 'de',
    subject: 'Neuigkeiten aus dem Shop, {{name}}',
    html: layout(`<h1>Hallo {{name}},</h1>
<p>Das ist neu im Shop in diesem Monat: frische Ware, wieder vorrätige Lieblingsstücke und ein
paar Angebote für Sie.</p>
<p style="font-size: 12px; color: #616e7c;">Sie erhalten diese E-Mail als Kunde des Shops.
<a href="{{unsubscribeUrl}}">Abmelden</a> von diesen E-Mails.</p>`),
    text: `Hallo {{name}},

Das ist neu im Shop in diesem Monat: frische Ware, wieder vorrätige Lieblingsstücke und ein
paar Angebote für Sie.

--
Sie erhalten diese E-Mail als Kunde des Shops.
Abmelden: {{unsubscribeUrl}}
`,
  },
];
