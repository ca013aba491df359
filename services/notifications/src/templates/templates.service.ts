import { AppError, ErrorCode } from '@commerce/nest-kit';
import { Injectable, Logger } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { type TemplateDefinition } from './default-templates';
import { localeCandidates } from './locale';
import { TEMPLATE_MODEL, type TemplateDocument, templateId } from './template.schema';
import { type RenderedMessage, TemplateDataError, TemplateRenderer } from './template-renderer';
import { isDuplicateKey } from '../database/duplicate-key';

export interface RenderResult extends RenderedMessage {
  /** The locale the template was found in (after falling back). */
  readonly locale: string;
}

/** Stored templates: lookup with locale fallback, rendering, and the seed at start. */
@Injectable()
export class TemplatesService {
  private readonly logger = new Logger(TemplatesService.name);
  private readonly renderer = new TemplateRenderer();

  constructor(@InjectModel(TEMPLATE_MODEL) private readonly templates: Model<TemplateDocument>) {}

  /**
   * Renders `key` in the best locale available for `locale` (see localeCandidates). An unknown key
   * or data the template cannot render with is a 400 VALIDATION_FAILED naming the field.
   */
  async render(
    key: string,
    locale: string | undefined,
    data: Record<string, unknown>,
  ): Promise<RenderResult> {
    const template = await this.find(key, locale);
    try {
      return { locale: template.locale, ...this.renderer.render(template, data, template.locale) };
    } catch (error) {
      if (error instanceof TemplateDataError) {
        throw new AppError({
          status: 400,
          code: ErrorCode.VALIDATION_FAILED,
          message: `Validation failed: ${error.message}`,
          details: error.violations,
        });
      }
      throw error;
    }
  }

  /**
   * The sources a campaign renders from: the best locale of `key` with `subject` in place of the
   * template's own, checked by rendering them with `sample` (the variables campaigns provide).
   * An unknown key, or a template needing other variables, is a 400 naming `template`; a subject
   * that does not compile, one naming `subject`.
   */
  async snapshot(
    key: string,
    locale: string | undefined,
    subject: string,
    sample: Record<string, unknown>,
  ): Promise<RenderResult> {
    const template = await this.find(key, locale);
    const invalid = (field: string, problem: string) =>
      new AppError({
        status: 400,
        code: ErrorCode.VALIDATION_FAILED,
        message: `Validation failed: ${field} ${problem}`,
        details: [{ field, constraints: [`${field} ${problem}`] }],
      });
    try {
      this.renderer.render({ subject, html: '', text: '' }, sample, template.locale);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid('subject', `cannot be rendered for a campaign: ${reason}`);
    }
    const sources = { subject, html: template.html, text: template.text };
    try {
      this.renderer.render(sources, sample, template.locale);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(
        'template',
        `"${key}" cannot be rendered for a campaign (it may use ${Object.keys(sample).join(', ')}): ${reason}`,
      );
    }
    return { locale: template.locale, ...sources };
  }

  /**
   * Writes the built-in templates. Idempotent and safe with several instances starting at once:
   * each is an upsert keyed by `<key>/<locale>`; a seeded template follows the code's current
   * version, one an operator replaced (origin `custom`) is left alone.
   */
  async seed(definitions: readonly TemplateDefinition[]): Promise<void> {
    for (const definition of definitions) {
      this.renderer.compile(definition); // a broken built-in template stops the start
      const { key, locale, subject, html, text } = definition;
      try {
        await this.templates
          .updateOne(
            { _id: templateId(key, locale), origin: 'seed' },
            { $set: { key, locale, subject, html, text }, $setOnInsert: { origin: 'seed' } },
            { upsert: true },
          )
          .exec();
      } catch (error) {
        // An operator's own version (origin custom) holds the id, or a twin instance inserted it.
        if (!isDuplicateKey(error)) throw error;
      }
    }
    this.logger.log(`templates ready (${definitions.length} built-in)`);
  }

  /** The template for `key` in the best of the locale's candidates; a 400 naming `template`. */
  private async find(key: string, locale: string | undefined) {
    const candidates = localeCandidates(locale);
    const found = await this.templates
      .find({ _id: { $in: candidates.map((c) => templateId(key, c)) } })
      .lean()
      .exec();
    const template = candidates
      .map((candidate) => found.find((t) => t.locale === candidate))
      .find((t) => t !== undefined);
    if (!template) throw await this.unknownTemplate(key);
    return template;
  }

  private async unknownTemplate(key: string): Promise<AppError> {
    const known = (await this.templates.distinct('key').exec()).sort();
    const message = `template must be one of: ${known.join(', ')}`;
    return new AppError({
      status: 400,
      code: ErrorCode.VALIDATION_FAILED,
      message: `Validation failed: unknown template "${key}"; ${message}`,
      details: [{ field: 'template', constraints: [message] }],
    });
  }
}
