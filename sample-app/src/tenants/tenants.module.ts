import { Module } from '@nestjs/common';
import { FaceioTenantResolver } from './faceio-tenant.resolver.js';
import { TenantAccountsService } from './tenant-accounts.service.js';

@Module({
  providers: [TenantAccountsService, FaceioTenantResolver],
  exports: [TenantAccountsService, FaceioTenantResolver],
})
export class TenantsModule {}
