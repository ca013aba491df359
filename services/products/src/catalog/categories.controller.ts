import { Role } from '@commerce/contracts';
import { ErrorResponseDto, Public, Roles } from '@commerce/nest-kit';
import { Body, Controller, Get, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CategoryDto, CategoryListDto, CreateCategoryDto } from './catalog.dto';
import { CatalogService } from './catalog.service';

@ApiTags('categories')
@Controller('categories')
export class CategoriesController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Every category, by name' })
  @ApiOkResponse({ type: CategoryListDto })
  list(): Promise<CategoryListDto> {
    return this.catalog.categories();
  }

  @Post()
  @Roles(Role.ADMIN, Role.SUPER_ADMIN)
  @ApiOperation({ summary: 'Create a category (ADMIN, SUPER_ADMIN)' })
  @ApiCreatedResponse({ type: CategoryDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CATEGORY_EXISTS' })
  create(@Body() dto: CreateCategoryDto): Promise<CategoryDto> {
    return this.catalog.createCategory(dto);
  }
}
