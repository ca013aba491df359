import { AppError } from '@commerce/nest-kit';
import { PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode } from '@commerce/persistence';
import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.service';
import type {
  CategoryDto,
  CategoryListDto,
  CreateCategoryDto,
  CreateProductDto,
  ProductDto,
  ProductListDto,
  UpdateProductDto,
} from './catalog.dto';
import {
  PRODUCT_COLUMNS,
  type ProductSearch,
  buildProductCount,
  buildProductSearch,
  normaliseSearchText,
} from './search-query';
import {
  type TermCandidate,
  applyCorrections,
  chooseCorrections,
  searchWords,
  typoBudget,
} from './typo-correction';

const notFound = (id: string) =>
  new AppError({ status: 404, code: 'NOT_FOUND', message: `Product ${id} not found` });

const NOT_NULL_FIELDS = [
  'sku',
  'name',
  'description',
  'price',
  'currency',
  'attributes',
  'active',
] as const;

const CATEGORY_COLUMNS = `id, name, slug, parent_id as "parentId"`;

/** Derives a URL slug from a category name: "Home & Kitchen" -> "home-kitchen". */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'category'
  );
}

@Injectable()
export class CatalogService {
  constructor(private readonly sql: Sql) {}

  /**
   * Full text first (ranked, name over description). When it finds nothing, misspelt words are
   * rewritten to the nearest catalog words within the typo budget ("cotnoso" -> "contoso") and
   * the full-text search runs again on the corrected text, which the answer names; the trigram
   * match on names is the last resort.
   */
  async search(search: ProductSearch): Promise<ProductListDto> {
    const q = normaliseSearchText(search.q);
    let result = await this.page(search, 'fts');
    let correctedQuery: string | undefined;
    if (result.total === 0 && q) {
      const corrected = await this.correct(q);
      if (corrected) {
        result = await this.page({ ...search, q: corrected }, 'fts');
        if (result.total > 0) correctedQuery = corrected;
      }
      if (result.total === 0) result = await this.page(search, 'fuzzy');
    }
    return {
      ...result,
      page: search.page,
      limit: search.limit,
      ...(correctedQuery ? { correctedQuery } : {}),
    };
  }

  /** The search text with its misspelt words corrected, or undefined when none is. */
  private async correct(q: string): Promise<string | undefined> {
    const words = [...new Set(searchWords(q))].filter((word) => typoBudget(word) > 0);
    if (words.length === 0) return undefined;
    const candidates = await this.sql.rows<TermCandidate>(
      `select word, term, docs from search_term_candidates($1::text[])`,
      [words],
    );
    return applyCorrections(q, chooseCorrections(words, candidates))?.text;
  }

  private async page(
    search: ProductSearch,
    mode: 'fts' | 'fuzzy',
  ): Promise<{ items: ProductDto[]; total: number }> {
    const { sql, values } = buildProductSearch(search, mode);
    const rows = await this.sql.rows<ProductDto & { total: number }>(sql, values);
    if (rows.length > 0) {
      return { items: rows.map(({ total: _total, ...item }) => item), total: rows[0]?.total ?? 0 };
    }
    if (search.page === 1) return { items: [], total: 0 };
    // Past the last page: the window count has no row to ride on.
    const count = buildProductCount(search, mode);
    const [row] = await this.sql.rows<{ total: number }>(count.sql, count.values);
    return { items: [], total: row?.total ?? 0 };
  }

  /** An active product; unknown and inactive ones are both 404. */
  async get(id: string): Promise<ProductDto> {
    const [row] = await this.sql.rows<ProductDto>(
      `select ${PRODUCT_COLUMNS} from products p where p.id = $1 and p.active`,
      [id],
    );
    if (!row) throw notFound(id);
    return row;
  }

  async create(dto: CreateProductDto): Promise<ProductDto> {
    return this.write(dto, async () => {
      const rows = await this.sql.transaction(async (tx) => {
        const created = await tx.rows<ProductDto>(
          `insert into products as p (sku, name, description, price, currency, category_id, attributes, active)
           values ($1, $2, $3, $4, $5, $6, $7, $8)
           returning ${PRODUCT_COLUMNS}`,
          [
            dto.sku,
            dto.name,
            dto.description ?? '',
            dto.price,
            dto.currency,
            dto.categoryId ?? null,
            JSON.stringify(dto.attributes ?? {}),
            dto.active ?? true,
          ],
        );
        // Every product has a stock row, so reservations and the admin's PUT find one.
        await tx.run(`insert into inventory (product_id, on_hand) values ($1, 0)`, [
          created[0]?.id,
        ]);
        return created;
      });
      return rows[0] as ProductDto;
    });
  }

  /** Changes the given fields; an inactive product can be re-activated with `active: true`. */
  async update(id: string, dto: UpdateProductDto): Promise<ProductDto> {
    // Only categoryId may be cleared; `@IsOptional()` lets null through for the others.
    const nulls = NOT_NULL_FIELDS.filter(
      (field) => (dto as Record<string, unknown>)[field] === null,
    );
    if (nulls.length > 0) {
      throw new AppError({
        code: 'VALIDATION_FAILED',
        message: `Validation failed: ${nulls.map((f) => `${f} must not be null`).join('; ')}`,
        details: nulls.map((field) => ({ field, constraints: [`${field} must not be null`] })),
      });
    }
    const columns: Record<string, unknown> = {
      sku: dto.sku,
      name: dto.name,
      description: dto.description,
      price: dto.price,
      currency: dto.currency,
      category_id: dto.categoryId,
      attributes: dto.attributes === undefined ? undefined : JSON.stringify(dto.attributes),
      active: dto.active,
    };
    const values: unknown[] = [id];
    const sets: string[] = [];
    for (const [column, value] of Object.entries(columns)) {
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${column} = $${values.length}`);
    }
    sets.push('updated_at = now()');
    return this.write(dto, async () => {
      const [row] = await this.sql.rows<ProductDto>(
        `update products p set ${sets.join(', ')} where p.id = $1 returning ${PRODUCT_COLUMNS}`,
        values,
      );
      if (!row) throw notFound(id);
      return row;
    });
  }

  /** Soft delete: the product disappears from reads; orders that reference it keep working. */
  async deactivate(id: string): Promise<ProductDto> {
    const [row] = await this.sql.rows<ProductDto>(
      `update products p set active = false, updated_at = now() where p.id = $1 and p.active
       returning ${PRODUCT_COLUMNS}`,
      [id],
    );
    if (!row) throw notFound(id);
    return row;
  }

  async categories(): Promise<CategoryListDto> {
    const items = await this.sql.rows<CategoryDto>(
      `select ${CATEGORY_COLUMNS} from categories order by name`,
    );
    return { items, total: items.length, page: 1, limit: items.length };
  }

  async createCategory(dto: CreateCategoryDto): Promise<CategoryDto> {
    try {
      const [row] = await this.sql.rows<CategoryDto>(
        `insert into categories (name, slug, parent_id) values ($1, $2, $3)
         returning ${CATEGORY_COLUMNS}`,
        [dto.name.trim(), dto.slug ?? slugify(dto.name), dto.parentId ?? null],
      );
      return row as CategoryDto;
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PG_UNIQUE_VIOLATION) {
        throw new AppError({
          status: 409,
          code: 'CATEGORY_EXISTS',
          message: `A category with this name or slug already exists`,
          details: [{ field: 'name' }],
        });
      }
      if (code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError({
          code: 'UNKNOWN_CATEGORY',
          message: `parentId ${dto.parentId} is not a category`,
          details: [{ field: 'parentId', constraints: ['parentId must name a category'] }],
        });
      }
      throw error;
    }
  }

  /** Maps the constraint violations of a product write to 4xx answers naming the field. */
  private async write<T>(dto: UpdateProductDto, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PG_UNIQUE_VIOLATION) {
        throw new AppError({
          status: 409,
          code: 'SKU_TAKEN',
          message: `SKU ${dto.sku} is already used by another product`,
          details: [{ field: 'sku' }],
        });
      }
      if (code === PG_FOREIGN_KEY_VIOLATION) {
        throw new AppError({
          code: 'UNKNOWN_CATEGORY',
          message: `categoryId ${dto.categoryId} is not a category`,
          details: [{ field: 'categoryId', constraints: ['categoryId must name a category'] }],
        });
      }
      throw error;
    }
  }
}
