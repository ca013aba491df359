import { type ConfigIssue, ConfigValidationError } from '@commerce/nest-kit';
import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AuthConfig, keysDirectory } from '../config';
import {
  type EcPublicJwk,
  type KeyRingFile,
  type RetiredKey,
  generateRingKey,
  jwkThumbprint,
  keysStillNeeded,
  parsePrivateKey,
  parseRetiredKeys,
  privateKeyFromJwk,
  publicJwkOf,
  rotateKeyRing,
} from './key-ring';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/** One entry of the JWKS document. */
export interface PublishedJwk extends EcPublicJwk {
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

const KEY_RING_FILE = 'keyring.json';

/**
 * The signing key and the public keys verifiers must still accept.
 *
 * - production: `AUTH_SIGNING_KEY` (+ `AUTH_PREVIOUS_PUBLIC_KEYS` after a rotation) from the
 *   environment; a missing key stops the start.
 * - development/test without `AUTH_SIGNING_KEY`: a key ring in `keysDirectory(config)` (outside the
 *   repository), generated on first start and reused afterwards; `rotate()` rolls it.
 *
 * Retired keys are published until every token they signed has expired, then dropped.
 */
export class KeysService {
  private constructor(
    private signing: SigningKey & { readonly jwk: EcPublicJwk },
    private retired: readonly RetiredKey[],
    private readonly maxTokenLifetimeSeconds: number,
    /** The key-ring file, when keys come from disk. */
    private readonly ringPath: string | undefined,
  ) {}

  static async create(config: AuthConfig): Promise<KeysService> {
    const lifetime = Math.max(config.ACCESS_TOKEN_TTL_SECONDS, config.SERVICE_TOKEN_TTL_SECONDS);
    if (config.AUTH_SIGNING_KEY) return KeysService.fromEnvironment(config, lifetime);
    // (The config schema already refused production without AUTH_SIGNING_KEY.)
    const ringPath = join(keysDirectory(config), KEY_RING_FILE);
    const ring = await loadOrCreateRing(ringPath);
    return new KeysService(signingFromRing(ring), ring.previous, lifetime, ringPath);
  }

  private static fromEnvironment(config: AuthConfig, lifetime: number): KeysService {
    const problems: ConfigIssue[] = [];
    const privateKey = attempt('AUTH_SIGNING_KEY', problems, () =>
      parsePrivateKey(config.AUTH_SIGNING_KEY ?? ''),
    );
    const retired = config.AUTH_PREVIOUS_PUBLIC_KEYS
      ? attempt('AUTH_PREVIOUS_PUBLIC_KEYS', problems, () =>
          parseRetiredKeys(config.AUTH_PREVIOUS_PUBLIC_KEYS ?? ''),
        )
      : [];
    if (!privateKey || !retired) throw new ConfigValidationError(problems);
    const jwk = publicJwkOf(privateKey);
    const kid =
      config.AUTH_SIGNING_KEY_ID ?? declaredKid(config.AUTH_SIGNING_KEY) ?? jwkThumbprint(jwk);
    return new KeysService({ kid, privateKey, jwk }, retired, lifetime, undefined);
  }

  /** The key new tokens are signed with. */
  signingKey(): SigningKey {
    return { kid: this.signing.kid, privateKey: this.signing.privateKey };
  }

  /** The JWKS document: the signing key and the retired keys whose tokens may still be alive. */
  jwks(now = new Date()): { keys: PublishedJwk[] } {
    const published = [
      { kid: this.signing.kid, jwk: this.signing.jwk },
      ...keysStillNeeded(this.retired, now, this.maxTokenLifetimeSeconds).filter(
        (key) => key.kid !== this.signing.kid,
      ),
    ];
    return {
      keys: published.map(({ kid, jwk }) => ({ ...jwk, kid, alg: 'ES256', use: 'sig' })),
    };
  }

  /**
   * Development/test rotation of the on-disk key ring: a new key signs from now on, the old one
   * stays published until its tokens have expired. Other processes pick it up on their next start.
   * Production rotates through the environment (see the README).
   */
  async rotate(now = new Date()): Promise<string> {
    if (!this.ringPath) {
      throw new Error('keys come from AUTH_SIGNING_KEY: rotate by deploying a new key');
    }
    const ring = rotateKeyRing(
      await readRing(this.ringPath),
      generateRingKey(now),
      now,
      this.maxTokenLifetimeSeconds,
    );
    await writeRingAtomically(this.ringPath, ring);
    this.signing = signingFromRing(ring);
    this.retired = ring.previous;
    return ring.current.kid;
  }
}

function signingFromRing(ring: KeyRingFile): SigningKey & { jwk: EcPublicJwk } {
  const privateKey = privateKeyFromJwk(ring.current.privateJwk);
  return { kid: ring.current.kid, privateKey, jwk: publicJwkOf(privateKey) };
}

async function loadOrCreateRing(path: string): Promise<KeyRingFile> {
  try {
    return await readRing(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const now = new Date();
  const ring: KeyRingFile = { version: 1, current: generateRingKey(now), previous: [] };
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  // Exclusive create through a hard link: when two processes start at once, one ring wins and
  // both use it.
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(ring, null, 2), { mode: 0o600 });
  try {
    await link(tmp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  return readRing(path);
}

async function readRing(path: string): Promise<KeyRingFile> {
  const ring = JSON.parse(await readFile(path, 'utf8')) as KeyRingFile;
  if (ring.version !== 1 || !ring.current?.privateJwk || !Array.isArray(ring.previous)) {
    throw new Error(`${path} is not a key ring this version understands`);
  }
  return ring;
}

async function writeRingAtomically(path: string, ring: KeyRingFile): Promise<void> {
  const tmp = `${path}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(ring, null, 2), { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
}

/** Runs `parse`, recording its failure under `variable`. */
function attempt<T>(variable: string, problems: ConfigIssue[], parse: () => T): T | undefined {
  try {
    return parse();
  } catch (error) {
    // JSON.parse quotes the input in its message: never let a private key reach a log line.
    const reason =
      error instanceof SyntaxError
        ? 'is not valid JSON'
        : error instanceof Error
          ? error.message
          : 'is invalid';
    problems.push({ variable, reason });
    return undefined;
  }
}

/** The `kid` of a key given as JWK JSON. */
function declaredKid(text: string | undefined): string | undefined {
  const trimmed = text?.trim() ?? '';
  if (!trimmed.startsWith('{')) return undefined;
  const kid = (JSON.parse(trimmed) as { kid?: unknown }).kid;
  return typeof kid === 'string' && kid !== '' ? kid : undefined;
}
