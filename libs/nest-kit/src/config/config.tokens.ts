import { Inject } from '@nestjs/common';

/** Injection token of the validated, frozen config object passed to `NestKitModule.forRoot`. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** `constructor(@InjectConfig() private readonly config: GatewayConfig) {}` */
export const InjectConfig = (): ParameterDecorator => Inject(APP_CONFIG);
