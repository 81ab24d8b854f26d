import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { IdentityVerificationsService, type IdentityVerification } from './identity-verifications.service.js';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

@UseGuards(OperatorAccessGuard)
@Controller('identity-verifications')
export class IdentityVerificationsController {
  constructor(private readonly verifications: IdentityVerificationsService) {}

  /** Every user's latest identity decision. */
  @Get()
  list(): IdentityVerification[] {
    return this.verifications.list();
  }

  @Get(':userId')
  one(@Param('userId') userId: string): IdentityVerification {
    const verification = this.verifications.statusOf(userId);
    if (!verification) throw new NotFoundException(`No identity decision for ${userId}`);
    return verification;
  }
}
