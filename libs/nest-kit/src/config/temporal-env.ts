import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { envBool } from './env';

/**
 * How a process reaches Temporal: address, namespace, TLS or mTLS, an API key (Temporal Cloud)
 * and extra gRPC metadata. Spread into the config schema of every process that opens a Temporal
 * connection (the workers, the orders service) and checked across fields with
 * `checkTemporalConnection` in its superRefine. The names are those of Temporal's own client
 * environment configuration (the CLI and the SDKs' envconfig read the same variables), so one
 * environment serves the apps and `temporal` commands alike.
 */
export const temporalConnectionEnv = {
  /** `host:port` of the frontend (Temporal Cloud: `<namespace>.<account>.tmprl.cloud:7233`). */
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'expected host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'expected a namespace name such as "default"')
    .default('default'),
  /** TLS on or off; unset: on when any TLS setting or TEMPORAL_API_KEY is given. */
  TEMPORAL_TLS: envBool().optional(),
  /** CA that signed the server's certificate (unset: the system's trusted CAs), as a file... */
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: z.string().min(1).optional(),
  /** ...or as PEM text. */
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: z.string().min(1).optional(),
  /** Server name to verify (and send as SNI) when it differs from TEMPORAL_ADDRESS's host. */
  TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
  /** mTLS: this client's certificate (PEM file or text) and its private key. */
  TEMPORAL_TLS_CLIENT_CERT_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_CERT_DATA: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_PATH: z.string().min(1).optional(),
  TEMPORAL_TLS_CLIENT_KEY_DATA: z.string().min(1).optional(),
  /** API key (Temporal Cloud), sent as `Authorization: Bearer <key>`; implies TLS. */
  TEMPORAL_API_KEY: z.string().min(1).optional(),
  /** Extra gRPC metadata on every call: `name=value` pairs separated by commas. */
  TEMPORAL_GRPC_METADATA: z
    .string()
    .transform((raw, ctx) => {
      const parsed = parseMetadata(raw);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    })
    .optional(),
};

export type TemporalConnectionConfig = Readonly<
  z.output<z.ZodObject<typeof temporalConnectionEnv>>
>;

/** The TLS part of the SDK's connection options (`TLSConfig` of @temporalio/common). */
export interface TemporalTlsOptions {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/**
 * What `Connection.connect`/`Connection.lazy` (client) and `NativeConnection.connect` (worker)
 * take: the SDK does the TLS, the API key header and the metadata itself. Declared here
 * structurally so the kit does not depend on the SDK.
 */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TemporalTlsOptions;
  apiKey?: string;
  metadata?: Record<string, string>;
}

type PemKind = 'certificate' | 'private key';

interface PemSource {
  readonly path: keyof TemporalConnectionConfig;
  readonly data: keyof TemporalConnectionConfig;
  readonly kind: PemKind;
}

const SERVER_CA: PemSource = {
  path: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  data: 'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  kind: 'certificate',
};
const CLIENT_CERT: PemSource = {
  path: 'TEMPORAL_TLS_CLIENT_CERT_PATH',
  data: 'TEMPORAL_TLS_CLIENT_CERT_DATA',
  kind: 'certificate',
};
const CLIENT_KEY: PemSource = {
  path: 'TEMPORAL_TLS_CLIENT_KEY_PATH',
  data: 'TEMPORAL_TLS_CLIENT_KEY_DATA',
  kind: 'private key',
};

/**
 * The cross-field rules, for the superRefine of a schema that spreads `temporalConnectionEnv`:
 * one of _PATH and _DATA per item, files readable and PEM that parses, certificate and key
 * together, no TLS settings or API key with TEMPORAL_TLS=false, no second Authorization header.
 */
export function checkTemporalConnection(
  config: TemporalConnectionConfig,
  ctx: z.RefinementCtx,
): void {
  const problem = (variable: string, message: string) =>
    ctx.addIssue({ code: 'custom', path: [variable], message });
  for (const source of [SERVER_CA, CLIENT_CERT, CLIENT_KEY]) {
    if (config[source.path] !== undefined && config[source.data] !== undefined) {
      problem(source.data, `set either ${source.path} or ${source.data}, not both`);
      continue;
    }
    try {
      readPem(config, source);
    } catch (error) {
      problem(
        config[source.path] !== undefined ? source.path : source.data,
        (error as Error).message,
      );
    }
  }
  // Reported on the variable that is set: the message names the one missing.
  const cert = givenName(config, CLIENT_CERT);
  const key = givenName(config, CLIENT_KEY);
  if (cert !== undefined && key === undefined) {
    problem(cert, `needs the client key too (${CLIENT_KEY.path} or ${CLIENT_KEY.data})`);
  }
  if (key !== undefined && cert === undefined) {
    problem(key, `needs the client certificate too (${CLIENT_CERT.path} or ${CLIENT_CERT.data})`);
  }
  if (config.TEMPORAL_TLS === false) {
    const tlsOnly = [
      ...Object.keys(temporalConnectionEnv).filter((name) => name.startsWith('TEMPORAL_TLS_')),
      'TEMPORAL_API_KEY',
    ].filter((name) => config[name as keyof TemporalConnectionConfig] !== undefined);
    if (tlsOnly.length > 0) {
      problem('TEMPORAL_TLS', `is false, but ${tlsOnly.join(', ')} need TLS`);
    }
  }
  if (config.TEMPORAL_API_KEY !== undefined && config.TEMPORAL_GRPC_METADATA?.authorization) {
    problem('TEMPORAL_GRPC_METADATA', 'must not set authorization together with TEMPORAL_API_KEY');
  }
}

/** The SDK's connection options for a validated config (reads the PEM files named there). */
export function temporalConnectionOptions(
  config: TemporalConnectionConfig,
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: config.TEMPORAL_ADDRESS };
  const ca = readPem(config, SERVER_CA);
  const crt = readPem(config, CLIENT_CERT);
  const key = readPem(config, CLIENT_KEY);
  const tlsWanted =
    config.TEMPORAL_TLS ??
    (ca !== undefined ||
      crt !== undefined ||
      config.TEMPORAL_TLS_SERVER_NAME !== undefined ||
      config.TEMPORAL_API_KEY !== undefined);
  if (tlsWanted) {
    options.tls = {
      ...(config.TEMPORAL_TLS_SERVER_NAME
        ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME }
        : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(crt && key ? { clientCertPair: { crt, key } } : {}),
    };
  }
  if (config.TEMPORAL_API_KEY !== undefined) options.apiKey = config.TEMPORAL_API_KEY;
  if (config.TEMPORAL_GRPC_METADATA) options.metadata = { ...config.TEMPORAL_GRPC_METADATA };
  return options;
}

/** The variable that gives `source`, if any. */
function givenName(config: TemporalConnectionConfig, source: PemSource): string | undefined {
  if (config[source.path] !== undefined) return source.path;
  return config[source.data] !== undefined ? source.data : undefined;
}

/** The PEM of one item from its file or its text, checked to parse; undefined when not set. */
function readPem(config: TemporalConnectionConfig, source: PemSource): Buffer | undefined {
  const path = config[source.path] as string | undefined;
  const data = config[source.data] as string | undefined;
  let pem: string;
  if (path !== undefined) {
    try {
      pem = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  } else if (data !== undefined) {
    // Secrets stores and shells often turn newlines into a literal "\n".
    pem = data.replace(/\\n/g, '\n');
  } else {
    return undefined;
  }
  try {
    if (source.kind === 'certificate') new X509Certificate(pem);
    else createPrivateKey(pem);
  } catch {
    throw new Error(`expected a PEM ${source.kind}`);
  }
  return Buffer.from(pem);
}

// gRPC metadata keys: lowercase ASCII letters, digits, "-", "_" and "."; "grpc-" is reserved.
const METADATA_KEY = /^(?!grpc-)[a-z0-9][a-z0-9._-]*$/;

function parseMetadata(raw: string): Record<string, string> | string {
  const metadata: Record<string, string> = {};
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const name = (at === -1 ? pair : pair.slice(0, at)).trim().toLowerCase();
    const value = at === -1 ? '' : pair.slice(at + 1).trim();
    if (!METADATA_KEY.test(name) || value === '' || /[\r\n]/.test(value)) {
      return 'expected name=value pairs separated by commas (names: letters, digits, "-", "_", ".")';
    }
    metadata[name] = value;
  }
  return metadata;
}
