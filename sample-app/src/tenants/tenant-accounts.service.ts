import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

/** One customer of the platform and the FACEIO application it brought. */
export interface TenantAccount {
  readonly tenant: string;
  /** The webhook token(s) of the customer's FACEIO application; two while it rotates. */
  readonly faceioTokens: readonly string[];
  readonly faceioAppId?: string;
}

/**
 * The app's own store of tenant accounts. Here a map seeded from FACEIO_TENANTS
 * (`acme=token-a|token-a-next,zenith=token-z`); in a real app, a table in its database. The
 * webhook library asks it through {@link FaceioTenantResolver} and caches the answer briefly.
 */
@Injectable()
export class TenantAccountsService {
  private readonly accounts = new Map<string, TenantAccount>();

  constructor(config: ConfigService) {
    for (const entry of (config.get<string>('FACEIO_TENANTS') ?? '').split(',')) {
      const [tenant, tokens] = entry.split('=').map((part) => part.trim());
      if (!tenant || !tokens) continue;
      this.save({ tenant, faceioTokens: tokens.split('|').filter(Boolean) });
    }
  }

  async find(tenant: string): Promise<TenantAccount | undefined> {
    return this.accounts.get(tenant);
  }

  save(account: TenantAccount): void {
    this.accounts.set(account.tenant, account);
  }
}
