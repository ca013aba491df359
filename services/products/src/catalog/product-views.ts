import { AnalyticsPublisher, analyticsPublisherProvider } from '@commerce/analytics-publisher';
import { type AuthUser, Role, analyticsEventId } from '@commerce/contracts';
import { APP_CONFIG, JwtVerifier, MetricsService } from '@commerce/nest-kit';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/**
 * A caller that fetches products for its own work (the orders service pricing a cart) sends this
 * header so the fetch does not count as a customer's view.
 */
export const NO_ANALYTICS_HEADER = 'x-analytics';

/** The publisher as a provider of this service: outcomes counted, outages logged. */
export const productsAnalyticsPublisher = analyticsPublisherProvider<[MetricsService]>(APP_CONFIG, {
  inject: [MetricsService],
  build: (metrics) => ({
    logger: new Logger('AnalyticsPublisher'),
    onOutcome: (outcome) => metrics.recordBusinessOperation('analytics.publish', outcome),
  }),
});

interface ViewRequest {
  readonly id?: unknown;
  readonly headers: Record<string, string | string[] | undefined>;
}

/**
 * `product.viewed` for `GET /products/:id`. The route is public: when a token comes with the
 * request, it is verified here, off the request's path, to name the viewer. Nothing of this is
 * awaited by the route, so neither a slow Redis nor the JWKS can slow or fail it.
 */
@Injectable()
export class ProductViews {
  constructor(
    private readonly publisher: AnalyticsPublisher,
    private readonly verifier: JwtVerifier,
  ) {}

  /** Starts publishing the view; resolves when done (the route does not wait). */
  record(productId: string, request: ViewRequest): Promise<void> {
    if (!this.publisher.enabled || request.headers[NO_ANALYTICS_HEADER] === 'off') {
      return Promise.resolve();
    }
    // Per view; a request retried with the same x-request-id is the same view.
    const viewId = typeof request.id === 'string' ? request.id : randomUUID();
    const at = new Date().toISOString();
    return this.publish(productId, viewId, at, request.headers.authorization);
  }

  private async publish(
    productId: string,
    viewId: string,
    at: string,
    authorization: string | string[] | undefined,
  ): Promise<void> {
    const viewer = await this.viewer(authorization);
    if (viewer?.roles.includes(Role.SERVICE)) return; // a backend's fetch, not a view
    await this.publisher.publish({
      id: analyticsEventId('product.viewed', `${productId}:${viewId}`),
      type: 'product.viewed',
      at,
      productId,
      ...(viewer ? { userId: viewer.id } : {}),
    });
  }

  /** The verified caller, or undefined for an anonymous view or a token that does not verify. */
  private async viewer(
    authorization: string | string[] | undefined,
  ): Promise<AuthUser | undefined> {
    if (typeof authorization !== 'string' || authorization === '') return undefined;
    try {
      return await this.verifier.verifyRequest({ headers: { authorization } });
    } catch {
      return undefined;
    }
  }
}
