import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { errorCodes } from 'fastify';
import { AppError } from './app-error';
import { codeForStatus } from './error-codes';
import { buildErrorResponse, fromFrameworkError } from './error-response';

const dev = { requestId: 'req-1', exposeServerErrors: true };
const prod = { requestId: 'req-1', exposeServerErrors: false };

describe('buildErrorResponse', () => {
  it.each([
    [new BadRequestException('bad'), 400, 'Bad Request', 'BAD_REQUEST'],
    [new UnauthorizedException('who'), 401, 'Unauthorized', 'UNAUTHORIZED'],
    [new ForbiddenException('no'), 403, 'Forbidden', 'FORBIDDEN'],
    [new NotFoundException('gone'), 404, 'Not Found', 'NOT_FOUND'],
    [new PayloadTooLargeException('big'), 413, 'Payload Too Large', 'PAYLOAD_TOO_LARGE'],
    [new HttpException('slow down', 429), 429, 'Too Many Requests', 'TOO_MANY_REQUESTS'],
  ])('derives the code from the status of %s', (exception, status, error, code) => {
    const { status: got, body, unexpected } = buildErrorResponse(exception, dev);
    expect(got).toBe(status);
    expect(unexpected).toBe(false);
    expect(body).toEqual({
      statusCode: status,
      error,
      message: exception.message,
      code,
      requestId: 'req-1',
    });
  });

  it('keeps the code and details of a domain error', () => {
    const error = new AppError({
      status: 409,
      code: 'OUT_OF_STOCK',
      message: 'Not enough stock for 1 item',
      details: [{ productId: 'p1', requested: 3, available: 1 }],
    });
    expect(buildErrorResponse(error, prod)).toEqual({
      status: 409,
      unexpected: false,
      body: {
        statusCode: 409,
        error: 'Conflict',
        message: 'Not enough stock for 1 item',
        code: 'OUT_OF_STOCK',
        details: [{ productId: 'p1', requested: 3, available: 1 }],
        requestId: 'req-1',
      },
    });
  });

  it('defaults a domain error to 400', () => {
    const error = new AppError({ code: 'INVALID_TRANSITION', message: 'Order is already paid' });
    expect(buildErrorResponse(error, dev).body).toMatchObject({
      statusCode: 400,
      code: 'INVALID_TRANSITION',
    });
  });

  it('honours a code and details given in an HttpException response object', () => {
    const exception = new BadRequestException({
      message: 'coupon expired',
      code: 'COUPON_EXPIRED',
      details: [{ coupon: 'X' }],
    });
    expect(buildErrorResponse(exception, dev).body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'coupon expired',
      code: 'COUPON_EXPIRED',
      details: [{ coupon: 'X' }],
      requestId: 'req-1',
    });
  });

  it('joins a message array (Nest default validation) into one message', () => {
    const exception = new BadRequestException(['a must be a string', 'b should not exist']);
    expect(buildErrorResponse(exception, dev).body.message).toBe(
      'a must be a string; b should not exist',
    );
  });

  it.each([
    ['an Error', new Error('ECONNREFUSED 10.0.0.5:5432 password=hunter2')],
    ['a string', 'something odd'],
    ['undefined', undefined],
    [
      'an object with statusCode',
      Object.assign(new Error('upstream said 404'), { statusCode: 404 }),
    ],
    ['an HttpException with a non-error status', new HttpException('moved', 302)],
  ])('answers %s with a generic 500 and leaks nothing', (_label, thrown) => {
    const { status, body, unexpected } = buildErrorResponse(thrown, dev);
    expect(status).toBe(500);
    expect(unexpected).toBe(true);
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal server error',
      code: 'INTERNAL_ERROR',
      requestId: 'req-1',
    });
    expect(JSON.stringify(body)).not.toMatch(/hunter2|ECONNREFUSED|stack|upstream/);
  });

  it('hides 5xx messages and details in production only', () => {
    const exception = new AppError({
      status: 503,
      code: 'PAYMENT_PROVIDER_DOWN',
      message: 'stripe at 10.0.0.9 timed out',
      details: [{ host: '10.0.0.9' }],
    });
    expect(buildErrorResponse(exception, prod).body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Service Unavailable',
      code: 'PAYMENT_PROVIDER_DOWN',
      requestId: 'req-1',
    });
    expect(buildErrorResponse(exception, dev).body.message).toBe('stripe at 10.0.0.9 timed out');
    expect(
      buildErrorResponse(new InternalServerErrorException('db driver says x'), prod).body.message,
    ).toBe('Internal server error');
    expect(buildErrorResponse(new ServiceUnavailableException('x'), prod).body.code).toBe(
      'SERVICE_UNAVAILABLE',
    );
  });
});

describe('fromFrameworkError', () => {
  function mapped(error: unknown, context = {}) {
    const appError = fromFrameworkError(error, context);
    return appError && buildErrorResponse(appError, prod).body;
  }

  it('maps invalid and empty JSON bodies to MALFORMED_JSON', () => {
    expect(mapped(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY())).toMatchObject({
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: 'Request body is not valid JSON',
    });
    expect(mapped(new errorCodes.FST_ERR_CTP_EMPTY_JSON_BODY())).toMatchObject({
      statusCode: 400,
      code: 'MALFORMED_JSON',
    });
  });

  it('maps a body over the limit to 413 and states the limit', () => {
    expect(mapped(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE(), { bodyLimit: 1024 })).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body exceeds the limit of 1024 bytes',
      code: 'PAYLOAD_TOO_LARGE',
      requestId: 'req-1',
    });
  });

  it('maps an unsupported media type to 415 and sanitises the echoed header', () => {
    expect(
      mapped(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), { contentType: 'text/x\u0001y' }),
    ).toMatchObject({
      statusCode: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'Content-Type "text/x?y" is not supported',
    });
  });

  it('keeps the client-facing message of other Fastify 4xx errors', () => {
    expect(mapped(new errorCodes.FST_ERR_BAD_URL('/%zz'))).toMatchObject({
      statusCode: 400,
      code: 'BAD_REQUEST',
      message: "'/%zz' is not a valid url component",
    });
  });

  it('treats a SyntaxError with status 400 as malformed JSON', () => {
    const error = Object.assign(new SyntaxError('Unexpected token'), { statusCode: 400 });
    expect(mapped(error)).toMatchObject({ code: 'MALFORMED_JSON' });
  });

  it('keeps only the status of unknown errors carrying a 4xx status', () => {
    const error = Object.assign(new Error('aborted at socket 10.0.0.1'), { statusCode: 400 });
    expect(mapped(error)).toMatchObject({ code: 'BAD_REQUEST', message: 'Bad Request' });
  });

  it('leaves everything else alone', () => {
    expect(fromFrameworkError(new Error('boom'))).toBeUndefined();
    expect(fromFrameworkError('string')).toBeUndefined();
    expect(fromFrameworkError(Object.assign(new Error('x'), { statusCode: 500 }))).toBeUndefined();
  });
});

describe('codeForStatus', () => {
  it('uses the table, then the reason phrase', () => {
    expect(codeForStatus(415)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(codeForStatus(500)).toBe('INTERNAL_ERROR');
    expect(codeForStatus(418)).toBe('I_M_A_TEAPOT');
    expect(codeForStatus(499)).toBe('BAD_REQUEST');
  });
});
