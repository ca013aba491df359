import { type AuthUser, USER_ROLES } from '@commerce/contracts';
import { CurrentUser, ErrorResponseDto, Roles } from '@commerce/nest-kit';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import {
  AddCartItemDto,
  CartDto,
  CartItemDto,
  ProductIdParamDto,
  UpdateCartItemDto,
} from './cart.dto';
import { CartService } from './cart.service';
import { RequestId } from '../common/request-id.decorator';

/** The caller's cart; the customer is the token's `sub`. */
@ApiTags('cart')
// People only: service accounts have no cart and no orders of their own.
@Roles(...USER_ROLES)
@ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
@ApiServiceUnavailableResponse({
  type: ErrorResponseDto,
  description: 'PRODUCTS_UNAVAILABLE: the products service cannot be reached',
})
@Controller('cart')
export class CartController {
  constructor(private readonly cart: CartService) {}

  @Get()
  @ApiOperation({ summary: 'My cart with current prices' })
  @ApiOkResponse({ type: CartDto })
  view(@CurrentUser() user: AuthUser, @RequestId() requestId?: string): Promise<CartDto> {
    return this.cart.view(user.id, requestId);
  }

  @Post('items')
  @ApiOperation({ summary: 'Add a product (adds to the quantity already in the cart)' })
  @ApiCreatedResponse({ type: CartItemDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'PRODUCT_UNAVAILABLE, CURRENCY_MISMATCH, QUANTITY_LIMIT_EXCEEDED, CART_FULL',
  })
  add(
    @CurrentUser() user: AuthUser,
    @Body() body: AddCartItemDto,
    @RequestId() requestId?: string,
  ): Promise<CartItemDto> {
    return this.cart.add(user.id, body.productId, body.quantity, requestId);
  }

  @Patch('items/:productId')
  @ApiOperation({ summary: 'Set the quantity of a line' })
  @ApiOkResponse({ type: CartItemDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not in the cart' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'PRODUCT_UNAVAILABLE, CURRENCY_MISMATCH',
  })
  update(
    @CurrentUser() user: AuthUser,
    @Param() params: ProductIdParamDto,
    @Body() body: UpdateCartItemDto,
    @RequestId() requestId?: string,
  ): Promise<CartItemDto> {
    return this.cart.update(user.id, params.productId, body.quantity, requestId);
  }

  @Delete('items/:productId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a line' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not in the cart' })
  async remove(@CurrentUser() user: AuthUser, @Param() params: ProductIdParamDto): Promise<void> {
    await this.cart.remove(user.id, params.productId);
  }
}
