import { Injectable } from '@nestjs/common';
import type { FaceioTenantSettings, FaceWebhookTenantResolver } from 'nestjs-face-webhooks';
import { TenantAccountsService } from './tenant-accounts.service.js';

/**
 * Tells the webhook library a FACEIO tenant's settings: deliveries to `POST /webhooks/faceio/<tenant>`
 * authenticate with that tenant's own token. `null` for an unknown tenant (answered 404).
 */
@Injectable()
export class FaceioTenantResolver implements FaceWebhookTenantResolver<FaceioTenantSettings> {
  constructor(private readonly accounts: TenantAccountsService) {}

  async resolve(tenant: string): Promise<FaceioTenantSettings | null> {
    const account = await this.accounts.find(tenant);
    return account ? { token: account.faceioTokens, appId: account.faceioAppId } : null;
  }
}
