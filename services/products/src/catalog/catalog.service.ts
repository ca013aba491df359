import { APP_CONFIG, AppError } from '@commerce/nest-kit';
import { PG_FOREIGN_KEY_VIOLATION, PG_UNIQUE_VIOLATION, pgErrorCode } from '@commerce/persistence';
import { Inject, Injectable } from '@nestjs/common';
import type { ProductsConfig } from '../config';
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
import { CatalogSearch } from './catalog-search';
import { PRODUCT_COLUMNS, type ProductSearch } from './search-query';

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
  constructor(
    private readonly sql: Sql,
    @Inject(APP_CONFIG) private readonly config: ProductsConfig,
  ) {}

  /**
   * Ranked, typo-tolerant search (see catalog-search.ts): misspelt words are corrected against
   * the catalog's own words first, exact names rank first, broad searches estimate their total.
   */
  search(search: ProductSearch): Promise<ProductListDto> {
    return this.sql.session(
      (session) =>
        new CatalogSearch(session, {
          exactTotalUpTo: this.config.SEARCH_EXACT_TOTAL_UP_TO,
        }).search(search),
      // The search runs a few statement texts over and over: parsed once per connection.
      { prepare: true },
    );
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
