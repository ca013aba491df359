import { z } from 'zod';

/** One bad environment variable and why it was rejected. */
export interface ConfigIssue {
  readonly variable: string;
  readonly reason: string;
}

/**
 * Thrown once, at start, with every bad variable in the message, so an operator fixes the whole
 * environment in one go instead of discovering problems one restart at a time.
 */
export class ConfigValidationError extends Error {
  override readonly name = 'ConfigValidationError';

  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.variable}: ${i.reason}`).join('; ')}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The config type a schema produces: `type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>`. */
export type ConfigOf<S extends z.ZodObject> = Readonly<z.output<S>>;

// Values of these variables never appear in error messages (they end up in logs and CI output);
// `..._DATA` holds PEM text (keys among it) or metadata that may carry tokens.
const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|_KEY$|^KEY$|DATA$/i;

/**
 * Validates `env` (default: process.env) against a zod object schema and returns a typed,
 * deeply frozen config. Empty strings count as unset, so `PORT=` in a compose file falls back to
 * the default instead of failing as "not a number".
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): ConfigOf<S> {
  const input: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ConfigValidationError(result.error.issues.map((issue) => describe(issue, input)));
  }
  return deepFreeze(result.data);
}

function describe(issue: z.core.$ZodIssue, input: Record<string, string>): ConfigIssue {
  const variable = issue.path.map(String).join('.') || '(root)';
  const raw = issue.path.length > 0 ? input[String(issue.path[0])] : undefined;
  if (raw === undefined) return { variable, reason: 'is required but not set' };
  const shown = SECRET_NAME.test(variable) ? '<redacted>' : JSON.stringify(raw);
  return { variable, reason: `${lowerFirst(issue.message)}, got ${shown}` };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
