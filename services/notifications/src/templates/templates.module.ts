import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { TEMPLATE_MODEL, TemplateSchema } from './template.schema';
import { TemplateSeeder } from './template-seeder';
import { TemplatesService } from './templates.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: TEMPLATE_MODEL, schema: TemplateSchema }])],
  providers: [TemplatesService, TemplateSeeder],
  exports: [TemplatesService],
})
export class TemplatesModule {}
