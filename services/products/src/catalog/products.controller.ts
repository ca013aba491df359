import { Role } from '@commerce/contracts';
import { ErrorResponseDto, Public, Roles } from '@commerce/nest-kit';
import { Body, Controller, Delete, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import {
  CreateProductDto,
  ListProductsQueryDto,
  ProductDto,
  ProductIdParamDto,
  ProductListDto,
  UpdateProductDto,
} from './catalog.dto';
import { CatalogService } from './catalog.service';
import { ProductViews } from './product-views';

@ApiTags('products')
@Controller('products')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
export class ProductsController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly views: ProductViews,
  ) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Search active products',
    description:
      'Full-text search (name weighted over description) with a trigram fallback for typos, ' +
      'filters, sort and pagination.',
  })
  @ApiOkResponse({ type: ProductListDto })
  list(@Query() query: ListProductsQueryDto): Promise<ProductListDto> {
    return this.catalog.search(query);
  }

  @Get(':id')
  @Public()
  @ApiOperation({
    summary: 'One active product',
    description:
      'Counts a product view for analytics (in the background; a token, when sent, names the ' +
      'viewer). Callers fetching for their own work send `x-analytics: off`.',
  })
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND (unknown or inactive)' })
  async get(
    @Param() params: ProductIdParamDto,
    @Req() request: Parameters<ProductViews['record']>[1],
  ): Promise<ProductDto> {
    const product = await this.catalog.get(params.id);
    void this.views.record(product.id, request);
    return product;
  }

  @Post()
  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @ApiOperation({ summary: 'Create a product (ADMIN, SUPER_ADMIN); stock starts at 0' })
  @ApiCreatedResponse({ type: ProductDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SKU_TAKEN' })
  create(@Body() dto: CreateProductDto): Promise<ProductDto> {
    return this.catalog.create(dto);
  }

  @Patch(':id')
  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @ApiOperation({ summary: 'Change fields of a product (ADMIN, SUPER_ADMIN)' })
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SKU_TAKEN' })
  update(@Param() params: ProductIdParamDto, @Body() dto: UpdateProductDto): Promise<ProductDto> {
    return this.catalog.update(params.id, dto);
  }

  @Delete(':id')
  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @ApiOperation({ summary: 'Deactivate a product (soft delete; ADMIN, SUPER_ADMIN)' })
  @ApiOkResponse({ type: ProductDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'NOT_FOUND (unknown or inactive)' })
  remove(@Param() params: ProductIdParamDto): Promise<ProductDto> {
    return this.catalog.deactivate(params.id);
  }
}
