import { Schema } from 'mongoose';

export const TEMPLATE_MODEL = 'Template';

/** Where a stored template came from: the service's built-in set, or an operator's own version. */
export type TemplateOrigin = 'seed' | 'custom';

/** One template in one locale; `_id` is `<key>/<locale>`, which makes the pair unique. */
export interface TemplateDocument {
  _id: string;
  key: string;
  locale: string;
  subject: string;
  html: string;
  text: string;
  origin: TemplateOrigin;
  createdAt: Date;
  updatedAt: Date;
}

export const templateId = (key: string, locale: string) => `${key}/${locale}`;

export const TemplateSchema = new Schema<TemplateDocument>(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    locale: { type: String, required: true },
    subject: { type: String, required: true },
    html: { type: String, required: true },
    text: { type: String, required: true },
    origin: { type: String, required: true, enum: ['seed', 'custom'] },
  },
  { collection: 'templates', versionKey: false, timestamps: true },
);
TemplateSchema.index({ key: 1 });
