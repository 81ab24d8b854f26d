import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { LivenessChecksService, type LivenessStatus } from './liveness-checks.service.js';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

@UseGuards(OperatorAccessGuard)
@Controller('liveness-checks')
export class LivenessController {
  constructor(private readonly checks: LivenessChecksService) {}

  /** Every user's latest liveness result. */
  @Get()
  list(): LivenessStatus[] {
    return this.checks.list();
  }

  @Get(':userRef')
  one(@Param('userRef') userRef: string): LivenessStatus {
    const status = this.checks.statusOf(userRef);
    if (!status) throw new NotFoundException(`No liveness result for ${userRef}`);
    return status;
  }
}
