import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_TEMPLATES } from './default-templates';
import { TemplatesService } from './templates.service';

/** Seeds the built-in templates before the service takes requests. */
@Injectable()
export class TemplateSeeder implements OnApplicationBootstrap {
  constructor(private readonly templates: TemplatesService) {}

  onApplicationBootstrap(): Promise<void> {
    return this.templates.seed(DEFAULT_TEMPLATES);
  }
}
