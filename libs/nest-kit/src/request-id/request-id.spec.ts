import { REQUEST_ID_HEADER, isWellFormedRequestId, resolveRequestId } from './request-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  it('keeps a well-formed incoming id', () => {
    const req = { headers: { [REQUEST_ID_HEADER]: 'checkout-42:retry.1_A' } };
    expect(resolveRequestId(req)).toBe('checkout-42:retry.1_A');
    expect(req.headers[REQUEST_ID_HEADER]).toBe('checkout-42:retry.1_A');
  });

  it('generates a UUID when the header is missing and writes it back', () => {
    const req: { headers: Record<string, string | string[] | undefined> } = { headers: {} };
    const id = resolveRequestId(req);
    expect(id).toMatch(UUID);
    expect(req.headers[REQUEST_ID_HEADER]).toBe(id);
  });

  it.each([
    ['spaces', 'has spaces'],
    ['injection', 'id\r\nset-cookie: x'],
    ['too long', 'a'.repeat(129)],
    ['empty', ''],
    ['quotes', '"quoted"'],
  ])('replaces a malformed id (%s)', (_label, value) => {
    const req = { headers: { [REQUEST_ID_HEADER]: value } };
    const id = resolveRequestId(req);
    expect(id).toMatch(UUID);
    expect(req.headers[REQUEST_ID_HEADER]).toBe(id);
  });

  it('replaces a repeated header (an array)', () => {
    const req = { headers: { [REQUEST_ID_HEADER]: ['a', 'b'] } };
    expect(resolveRequestId(req)).toMatch(UUID);
  });

  it('is idempotent, so Fastify and pino-http agree on the id', () => {
    const req: { headers: Record<string, string | string[] | undefined> } = { headers: {} };
    const first = resolveRequestId(req);
    expect(resolveRequestId(req)).toBe(first);
  });

  it('accepts the maximum length', () => {
    expect(isWellFormedRequestId('a'.repeat(128))).toBe(true);
  });
});
