import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(
    readonly host: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`port ${port} on ${host} is already in use by another process`, options);
  }
}

export interface ListenAddress {
  readonly HOST: string;
  readonly PORT: number;
}

export interface Listening {
  readonly host: string;
  /** The bound port; differs from the requested one when that was 0. */
  readonly port: number;
  readonly url: string;
}

/** Starts accepting connections; a taken port becomes one clear PortInUseError. */
export async function listen(
  app: INestApplication,
  address: ListenAddress | { readonly host: string; readonly port: number },
): Promise<Listening> {
  const host = 'HOST' in address ? address.HOST : address.host;
  const port = 'PORT' in address ? address.PORT : address.port;
  try {
    await app.listen(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
      throw new PortInUseError(host, port, { cause: error });
    }
    throw error;
  }
  const bound = (app.getHttpServer() as { address(): AddressInfo | string | null }).address();
  const actualPort = typeof bound === 'object' && bound ? bound.port : port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { host, port: actualPort, url: `http://${urlHost}:${actualPort}` };
}
