import type { CampaignAudience, UserRole } from '@commerce/contracts';
import { InjectConfig } from '@commerce/nest-kit';
import { type ServiceCaller, createServiceClients } from '@commerce/service-client';
import { Injectable } from '@nestjs/common';
import type { NotificationsConfig } from '../config';

/** One recipient as the auth service lists it. */
export interface AudienceMember {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

export interface AudiencePage {
  readonly members: AudienceMember[];
  /** Where the next page starts; null after the last page. */
  readonly next: string | null;
}

/** Ids per request for a `{userIds}` audience: their query string stays far below header limits. */
export const IDS_PER_REQUEST = 200;

interface InternalUserPage {
  items: { id: string; email: string; name: string; roles: UserRole[] }[];
  limit: number;
  nextCursor: string | null;
}

/**
 * Reads a campaign's audience from the auth service (`GET /internal/users`, SERVICE token), one
 * page per call. The cursor is auth's keyset cursor, or for a list of user ids the offset into
 * that (sorted, deduplicated) list, so a fan-out resumes exactly where it stopped.
 */
@Injectable()
export class AudienceSource {
  private readonly auth: ServiceCaller;

  constructor(@InjectConfig() config: NotificationsConfig) {
    this.auth = createServiceClients({
      auth: {
        url: config.AUTH_URL,
        clientId: config.SERVICE_CLIENT_ID,
        clientSecret: config.SERVICE_CLIENT_SECRET,
      },
      services: { auth: config.AUTH_URL },
      timeoutMs: 30_000,
      userAgent: `${config.SERVICE_NAME}/campaigns`,
    }).clients.auth;
  }

  async page(
    audience: CampaignAudience,
    cursor: string | null,
    pageSize: number,
  ): Promise<AudiencePage> {
    const { userIds, role } = audience as { userIds?: string[]; role?: UserRole };
    if (userIds) return this.idsPage(userIds, cursor, pageSize);
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (role) query.set('role', role);
    if (cursor) query.set('cursor', cursor);
    const page = await this.list(query);
    return { members: page.items.map(member), next: page.nextCursor };
  }

  private async idsPage(
    userIds: readonly string[],
    cursor: string | null,
    pageSize: number,
  ): Promise<AudiencePage> {
    const ids = [...new Set(userIds.map((id) => id.toLowerCase()))].sort();
    const start = cursor ? Number(cursor) : 0;
    const end = Math.min(ids.length, start + pageSize);
    const members: AudienceMember[] = [];
    for (let from = start; from < end; from += IDS_PER_REQUEST) {
      const chunk = ids.slice(from, Math.min(end, from + IDS_PER_REQUEST));
      const query = new URLSearchParams({ limit: String(chunk.length), ids: chunk.join(',') });
      members.push(...(await this.list(query)).items.map(member));
    }
    return { members, next: end < ids.length ? String(end) : null };
  }

  private async list(query: URLSearchParams): Promise<InternalUserPage> {
    const { body } = await this.auth.request<InternalUserPage>({
      method: 'GET',
      path: `/internal/users?${query.toString()}`,
    });
    return body;
  }
}

const member = (user: { id: string; email: string; name: string }): AudienceMember => ({
  id: user.id,
  email: user.email,
  name: user.name,
});
