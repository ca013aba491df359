import { Role } from '@commerce/contracts';
import { InjectConfig, MetricsService } from '@commerce/nest-kit';
import { Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { AuthErrors } from '../common/auth-errors';
import type { AuthConfig } from '../config';
import { TokensService } from '../keys/tokens.service';
import { LoginThrottle } from '../login-throttle/login-throttle.service';
import type { ServiceTokenDto } from './service-accounts.dto';
import type { ServiceAccount } from './service-accounts.parse';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Checks a client secret in constant time: both sides are hashed first, so neither the length
 * nor the content of the expected secret shows in the timing; an unknown client id is compared
 * against a random value, costing the same.
 */
export function secretMatches(account: ServiceAccount | undefined, presented: string): boolean {
  const expected = digest(account?.secret ?? randomBytes(32).toString('hex'));
  return timingSafeEqual(expected, digest(presented)) && account !== undefined;
}

/** The client-credentials grant: SERVICE tokens for the accounts listed in SERVICE_ACCOUNTS. */
@Injectable()
export class ServiceAccountsService {
  private readonly accounts: ReadonlyMap<string, ServiceAccount>;

  constructor(
    @InjectConfig() private readonly config: AuthConfig,
    private readonly tokens: TokensService,
    private readonly throttle: LoginThrottle,
    private readonly metrics: MetricsService,
  ) {
    this.accounts = new Map(config.SERVICE_ACCOUNTS.map((account) => [account.clientId, account]));
  }

  async issueToken(
    clientId: string,
    clientSecret: string,
    ip: string | undefined,
  ): Promise<ServiceTokenDto> {
    // Counted per client address only: wrong secrets throttle the guesser, never the account.
    const ticket = await this.throttle.attempt('service_token', { kind: 'service', clientId }, ip);
    const account = this.accounts.get(clientId);
    if (!secretMatches(account, clientSecret)) {
      this.metrics.recordBusinessOperation('service_token', 'failure');
      throw AuthErrors.invalidClientCredentials();
    }
    await this.throttle.succeeded(ticket);
    const access = await this.tokens.issueAccessToken(
      { id: clientId, roles: [Role.SERVICE] },
      this.config.SERVICE_TOKEN_TTL_SECONDS,
    );
    this.metrics.recordBusinessOperation('service_token', 'success');
    return { accessToken: access.token, expiresIn: access.expiresIn, tokenType: 'Bearer' };
  }
}
