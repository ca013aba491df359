import type { AnalyticsEvent } from '@commerce/contracts';
import { AppError, ErrorCode, type FieldViolation } from '@commerce/nest-kit';
import { z } from 'zod';

const id = z.string().trim().min(1).max(300);
const ref = z.string().trim().min(1).max(200);
const money = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as "EUR"');
const at = z.iso.datetime({ offset: true });

const line = z.strictObject({
  productId: ref,
  quantity: z.number().int().min(1).max(1_000_000),
  unitPrice: money,
});

const orderOutcome = z.strictObject({
  id,
  at,
  type: z.enum(['order.completed', 'order.cancelled', 'order.failed']),
  orderId: ref,
  customerId: ref,
  total: money,
  currency,
  items: z.array(line).max(1000),
  reason: z.string().max(2000).optional(),
});

const checkoutStarted = z.strictObject({
  id,
  at,
  type: z.literal('checkout.started'),
  orderId: ref,
  customerId: ref,
  total: money,
  currency,
});

const cartCreated = z.strictObject({
  id,
  at,
  type: z.literal('cart.created'),
  customerId: ref,
});

const productViewed = z.strictObject({
  id,
  at,
  type: z.literal('product.viewed'),
  productId: ref,
  userId: ref.optional(),
});

/** Every analytics event the service accepts, told apart by `type`; unknown fields are refused. */
export const analyticsEventSchema = z.discriminatedUnion('type', [
  orderOutcome,
  checkoutStarted,
  cartCreated,
  productViewed,
]);

// The schema and the shared contract must describe the same events.
type Parsed = z.infer<typeof analyticsEventSchema>;
const _sameShape: [Parsed extends AnalyticsEvent ? true : never] = [true];
void _sameShape;

export type ParsedEvent =
  { ok: true; event: AnalyticsEvent } | { ok: false; violations: FieldViolation[] };

/** Checks a body (or a job's data) against the event schemas, naming each bad field. */
export function parseAnalyticsEvent(input: unknown): ParsedEvent {
  const result = analyticsEventSchema.safeParse(input);
  if (result.success) return { ok: true, event: result.data };
  const byField = new Map<string, string[]>();
  for (const issue of result.error.issues) {
    const unknownKeys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (unknownKeys.length > 0) {
      for (const key of unknownKeys) {
        const field = fieldPath([...issue.path, key]);
        add(byField, field, `property ${field} should not exist`);
      }
      continue;
    }
    const field = fieldPath(issue.path) || 'type';
    add(byField, field, `${field}: ${issue.message}`);
  }
  return {
    ok: false,
    violations: [...byField].map(([field, constraints]) => ({ field, constraints })),
  };
}

/** The event, or the kit's 400 VALIDATION_FAILED naming every bad field. */
export function requireAnalyticsEvent(input: unknown): AnalyticsEvent {
  const parsed = parseAnalyticsEvent(input);
  if (parsed.ok) return parsed.event;
  const summary = parsed.violations.flatMap((v) => v.constraints).join('; ');
  throw new AppError({
    status: 400,
    code: ErrorCode.VALIDATION_FAILED,
    message: `Validation failed: ${summary}`,
    details: parsed.violations,
  });
}

function add(map: Map<string, string[]>, field: string, message: string): void {
  const list = map.get(field) ?? [];
  list.push(message);
  map.set(field, list);
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
