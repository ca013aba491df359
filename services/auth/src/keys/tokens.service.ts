import { JWT_AUDIENCE, JWT_ISSUER, type Role } from '@commerce/contracts';
import { Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { KeysService } from './keys.service';

export interface TokenSubject {
  /** User id, or the client id of a service account. */
  readonly id: string;
  readonly roles: readonly Role[];
  readonly email?: string;
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly jti: string;
  /** Seconds since the epoch, as in the `exp` claim. */
  readonly exp: number;
  readonly expiresIn: number;
}

/** Signs access tokens (ES256, claims per AccessTokenClaims, `kid` in the header). */
@Injectable()
export class TokensService {
  constructor(private readonly keys: KeysService) {}

  async issueAccessToken(subject: TokenSubject, ttlSeconds: number): Promise<IssuedAccessToken> {
    const { kid, privateKey } = this.keys.signingKey();
    const jti = randomUUID();
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttlSeconds;
    const token = await new SignJWT({
      roles: [...subject.roles],
      ...(subject.email !== undefined ? { email: subject.email } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .setSubject(subject.id)
      .setJti(jti)
      .setIssuer(JWT_ISSUER)
      .setAudience(JWT_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(privateKey);
    return { token, jti, exp, expiresIn: ttlSeconds };
  }
}
