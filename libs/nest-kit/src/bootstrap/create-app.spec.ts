import {
  Body,
  ConflictException,
  Controller,
  Get,
  Module,
  Param,
  Post,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { AppError } from '../errors/app-error';
import { MetricsService } from '../metrics/metrics.service';
import { LogCapture, testConfig } from '../testing/kit.test-helpers';
import { NestKitModule } from '../nest-kit.module';
import { configureApp, createApp, createFastifyAdapter } from './create-app';

class AddressDto {
  @IsString() city!: string;
  @IsString() line1!: string;
}

class CreateOrderDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
  @ValidateNested() @Type(() => AddressDto) shippingAddress!: AddressDto;
}

@Controller('orders')
class OrdersController {
  constructor(private readonly metrics: MetricsService) {}

  @Get('fail/unexpected')
  unexpected(): never {
    throw new Error('connection to db at 10.1.2.3 refused, password=hunter2');
  }

  @Get('fail/conflict')
  conflict(): never {
    throw new ConflictException('Order already exists');
  }

  @Get('fail/unavailable')
  unavailable(): never {
    throw new ServiceUnavailableException('upstream 10.1.2.3:5432 timed out');
  }

  @Get(':id')
  get(@Param('id') id: string): { id: string } {
    if (id === 'missing') {
      throw new AppError({
        status: 404,
        code: 'ORDER_NOT_FOUND',
        message: `Order ${id} does not exist`,
        details: [{ orderId: id }],
      });
    }
    return { id };
  }

  @Post()
  create(@Body() dto: CreateOrderDto): CreateOrderDto {
    this.metrics.recordBusinessOperation('order.create', 'success');
    return dto;
  }
}

@Module({ controllers: [OrdersController] })
class OrdersModule {}

const validOrder = { sku: 'A-1', quantity: 2, shippingAddress: { city: 'Oslo', line1: 'Gate 1' } };

describe('createApp (kit wiring through app.inject)', () => {
  let app: NestFastifyApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await createApp(OrdersModule, {
      config: testConfig({ BODY_LIMIT_BYTES: '1024' }),
      logger: { destination: logs },
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  const errorShape = {
    statusCode: expect.any(Number),
    error: expect.any(String),
    message: expect.any(String),
    code: expect.any(String),
    requestId: expect.any(String),
  };

  it('answers a route and echoes a well-formed x-request-id', async () => {
    const res = await app.inject({ url: '/orders/42', headers: { 'x-request-id': 'abc-123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: '42' });
    expect(res.headers['x-request-id']).toBe('abc-123');
  });

  it('replaces a malformed x-request-id and generates one when missing', async () => {
    const malformed = await app.inject({
      url: '/orders/1',
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(malformed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await app.inject({ url: '/orders/1' });
    expect(missing.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers['x-request-id']).not.toBe(malformed.headers['x-request-id']);
  });

  it('uses one generated id for the header, the error body and the log line', async () => {
    const res = await app.inject({ url: '/no/such/thing', headers: { 'x-request-id': 'bad id!' } });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().requestId).toBe(id);
    const line = logs.lines.find((l) => l.msg === 'GET /no/such/thing 404' || l.requestId === id);
    expect(line).toMatchObject({ requestId: id, req: { id } });
  });

  it('logs the request id on the request log line', async () => {
    await app.inject({ url: '/orders/7', headers: { 'x-request-id': 'log-me-1' } });
    const line = logs.lines.find((l) => l.requestId === 'log-me-1');
    expect(line).toMatchObject({ service: 'kit-test', level: 'info', requestId: 'log-me-1' });
    expect(line?.req).toMatchObject({ id: 'log-me-1', method: 'GET', url: '/orders/7' });
  });

  it('redacts credentials in logged headers', async () => {
    await app.inject({
      url: '/orders/8',
      headers: { 'x-request-id': 'redact-1', authorization: 'Bearer s3cret', cookie: 'sid=s3cret' },
    });
    const line = logs.lines.find((l) => l.requestId === 'redact-1');
    expect(JSON.stringify(line)).not.toContain('s3cret');
    expect(line?.req).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
    });
  });

  it("answers the router's own errors (an overlong path parameter) in the error shape", async () => {
    const res = await app.inject({ url: `/orders/${'a'.repeat(500)}` });
    expect(res.statusCode).toBe(414);
    const body = res.json<Record<string, unknown>>();
    expect(body).toEqual({
      statusCode: 414,
      error: expect.any(String),
      message: 'A path segment of the URL is too long',
      code: expect.any(String),
      requestId: res.headers['x-request-id'],
    });
  });

  it('maps a domain error to its code, status and details', async () => {
    const res = await app.inject({ url: '/orders/missing', headers: { 'x-request-id': 'r-404' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Order missing does not exist',
      code: 'ORDER_NOT_FOUND',
      details: [{ orderId: 'missing' }],
      requestId: 'r-404',
    });
    expect(res.headers['x-request-id']).toBe('r-404');
  });

  it('maps an HttpException to a code derived from its status', async () => {
    const res = await app.inject({ url: '/orders/fail/conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'Order already exists',
      code: 'CONFLICT',
      requestId: res.headers['x-request-id'],
    });
  });

  it('answers an unknown error with a generic 500 and logs the real one server-side', async () => {
    const res = await app.inject({
      url: '/orders/fail/unexpected',
      headers: { 'x-request-id': 'r-500' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      code: 'INTERNAL_ERROR',
      requestId: 'r-500',
    });
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('at ');
    const logged = logs.lines.find((l) => l.requestId === 'r-500' && l.err !== undefined);
    expect(logged).toMatchObject({
      level: 'error',
      err: { message: expect.stringContaining('hunter2') },
    });
    expect(JSON.stringify(logged)).toContain('create-app.spec.ts');
  });

  it('routes an unknown path to 404 NOT_FOUND', async () => {
    const res = await app.inject({ url: '/nope', headers: { 'x-request-id': 'r-nf' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      ...errorShape,
      statusCode: 404,
      code: 'NOT_FOUND',
      requestId: 'r-nf',
    });
    expect(res.headers['x-request-id']).toBe('r-nf');
  });

  it('rejects malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-json' },
      payload: '{"sku": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Request body is not valid JSON',
      code: 'MALFORMED_JSON',
      requestId: 'r-json',
    });
    expect(res.headers['x-request-id']).toBe('r-json');
  });

  it('rejects an empty JSON body with 400 MALFORMED_JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ ...errorShape, code: 'MALFORMED_JSON' });
  });

  it('rejects a body over BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json', 'x-request-id': 'r-413' },
      payload: JSON.stringify({ ...validOrder, sku: 'x'.repeat(2000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds the limit of 1024 bytes',
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'r-413',
    });
  });

  it('rejects an unsupported content type with 415', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/xml' },
      payload: '<order/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      ...errorShape,
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type "application/xml" is not supported',
    });
  });

  it('names invalid nested fields and unknown fields in a 400 VALIDATION_FAILED', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/orders',
      payload: { ...validOrder, quantity: 0, shippingAddress: { line1: 'x' }, coupon: 'FREE' },
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ ...errorShape, statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(body.message).toContain('property coupon should not exist');
    expect(body.message).toContain('shippingAddress.city must be a string');
    expect(body.message).toContain('quantity must not be less than 1');
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'coupon', constraints: ['property coupon should not exist'] },
        { field: 'shippingAddress.city', constraints: ['shippingAddress.city must be a string'] },
        { field: 'quantity', constraints: ['quantity must not be less than 1'] },
      ]),
    );
  });

  it('accepts a valid body and counts the business operation', async () => {
    const res = await app.inject({ method: 'POST', url: '/orders', payload: validOrder });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual(validOrder);
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.body).toContain(
      'business_operations_total{operation="order.create",status="success",service="kit-test"} 1',
    );
  });

  it('records route templates, UNMATCHED for 404s and Fastify-level errors in the histogram', async () => {
    await app.inject({ url: '/orders/123' });
    await app.inject({ url: '/no/such/route' });
    await app.inject({
      method: 'POST',
      url: '/orders',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(
      /http_request_duration_ms_count\{method="GET",route="\/orders\/:id",status_code="200",service="kit-test"\} \d+/,
    );
    expect(res.body).toMatch(
      /http_request_duration_ms_count\{method="GET",route="UNMATCHED",status_code="404",service="kit-test"\} \d+/,
    );
    expect(res.body).toMatch(
      /http_request_duration_ms_count\{method="POST",route="\/orders",status_code="400",service="kit-test"\} \d+/,
    );
    expect(res.body).not.toContain('route="/orders/123"');
  });

  it('serves the OpenAPI document without /metrics', async () => {
    const res = await app.inject({ url: '/docs-json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('kit-test API');
    expect(Object.keys(doc.paths as object)).toEqual(
      expect.arrayContaining(['/orders/{id}', '/health']),
    );
    expect(doc.paths['/metrics']).toBeUndefined();
    const ui = await app.inject({ url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers liveness without consulting dependencies', async () => {
    const res = await app.inject({ url: '/health/live' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });
});

describe('createApp in production', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createApp(OrdersModule, {
      config: testConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent' }),
      metrics: { defaultMetrics: false },
      shutdownHooks: false,
    });
  });

  afterAll(async () => {
    await app.close();
  });

  it('hides the message of a 5xx HttpException', async () => {
    const res = await app.inject({ url: '/orders/fail/unavailable' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Service Unavailable',
      code: 'SERVICE_UNAVAILABLE',
      requestId: res.headers['x-request-id'],
    });
    expect(res.body).not.toContain('10.1.2.3');
  });

  it('still shows 4xx messages', async () => {
    const res = await app.inject({ url: '/orders/fail/conflict' });
    expect(res.json()).toMatchObject({ statusCode: 409, message: 'Order already exists' });
  });
});

describe('configureApp on an app built by Test.createTestingModule', () => {
  const config = testConfig({ LOG_LEVEL: 'silent' });

  it('wires the kit, and provider overrides still apply', async () => {
    const recorded: string[] = [];
    const moduleRef = await Test.createTestingModule({
      imports: [
        NestKitModule.forRoot({ config, metrics: { defaultMetrics: false } }),
        OrdersModule,
      ],
    })
      .overrideProvider(MetricsService)
      .useValue({
        recordBusinessOperation: (operation: string) => recorded.push(operation),
        observeHttpRequest: () => undefined,
      })
      .compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(config),
    );
    await configureApp(app, { config, openApi: false, shutdownHooks: false });
    try {
      const created = await app.inject({ method: 'POST', url: '/orders', payload: validOrder });
      expect(created.statusCode).toBe(201);
      expect(recorded).toEqual(['order.create']);
      const malformed = await app.inject({
        method: 'POST',
        url: '/orders',
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });
      expect(malformed.json()).toMatchObject({ statusCode: 400, code: 'MALFORMED_JSON' });
    } finally {
      await app.close();
    }
  });

  it('says what is missing when NestKitModule is not imported', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [] }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(config),
    );
    await expect(configureApp(app, { config, shutdownHooks: false })).rejects.toThrow(
      'NestKitModule.forRoot() is not imported',
    );
    await app.close();
  });
});
