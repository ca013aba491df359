import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '@commerce/nest-kit';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';

// Credentials are small; anything bigger is not a sign-in.
const MAX_BODY_BYTES = 8 * 1024;

/**
 * The JSON body of a console session request, validated by `schema`. The gateway does not parse
 * bodies (they stream to the services), so the session routes read their own, bounded.
 */
export async function readJsonBody<T>(request: FastifyRequest, schema: z.ZodType<T>): Promise<T> {
  const type = String(request.headers['content-type'] ?? '');
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError({
      status: 415,
      code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      message: 'Send the body as application/json',
    });
  }
  const text = await readText(request.body as Readable | undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError({
      status: 400,
      code: ErrorCode.MALFORMED_JSON,
      message: 'The body is not valid JSON',
    });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(body)',
      constraints: [issue.message],
    }));
    throw new AppError({
      status: 400,
      code: ErrorCode.VALIDATION_FAILED,
      message: `Validation failed: ${details.map((d) => `${d.field}: ${d.constraints[0]}`).join('; ')}`,
      details,
    });
  }
  return result.data;
}

async function readText(stream: Readable | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      stream.destroy();
      throw new AppError({
        status: 413,
        code: ErrorCode.PAYLOAD_TOO_LARGE,
        message: `The body is larger than ${MAX_BODY_BYTES} bytes`,
      });
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
