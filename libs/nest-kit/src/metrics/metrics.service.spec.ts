import { MetricsService, UNMATCHED_ROUTE } from './metrics.service';

function service(name = 'orders') {
  return new MetricsService({ serviceName: name, defaultMetrics: false });
}

describe('MetricsService', () => {
  it('labels the duration histogram with the route template and service', async () => {
    const metrics = service();
    metrics.observeHttpRequest({
      method: 'GET',
      route: '/orders/:id',
      statusCode: 200,
      durationMs: 12,
    });
    const text = await metrics.render();
    expect(text).toContain(
      'http_request_duration_ms_bucket{le="25",method="GET",route="/orders/:id",status_code="200",service="orders"} 1',
    );
    expect(text).toContain(
      'http_request_duration_ms_sum{method="GET",route="/orders/:id",status_code="200",service="orders"} 12',
    );
  });

  it('uses UNMATCHED when no route matched', async () => {
    const metrics = service();
    metrics.observeHttpRequest({ method: 'GET', route: undefined, statusCode: 404, durationMs: 1 });
    expect(await metrics.render()).toContain(`route="${UNMATCHED_ROUTE}",status_code="404"`);
  });

  it('counts business operations by name and outcome', async () => {
    const metrics = service();
    metrics.recordBusinessOperation('order.create', 'success');
    metrics.recordBusinessOperation('order.create', 'success');
    metrics.recordBusinessOperation('order.create', 'failure');
    const text = await metrics.render();
    expect(text).toContain(
      'business_operations_total{operation="order.create",status="success",service="orders"} 2',
    );
    expect(text).toContain(
      'business_operations_total{operation="order.create",status="failure",service="orders"} 1',
    );
  });

  it('keeps one registry per app, so two apps in one process do not collide', async () => {
    const a = service('a');
    const b = new MetricsService({ serviceName: 'b' });
    a.recordBusinessOperation('x', 'success');
    expect(await b.render()).not.toContain('operation="x"');
    expect(await b.render()).toContain('process_cpu_user_seconds_total{service="b"}');
    expect(a.contentType).toContain('text/plain');
  });
});
