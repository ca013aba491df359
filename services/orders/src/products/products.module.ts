import { Module } from '@nestjs/common';
import { ProductsClient } from './products.client';

@Module({ providers: [ProductsClient], exports: [ProductsClient] })
export class ProductsModule {}
