import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';
import { VerificationSessionsService, type VerificationSession } from './verification-sessions.service.js';

@UseGuards(OperatorAccessGuard)
@Controller('sessions')
export class VerificationSessionsController {
  constructor(private readonly sessions: VerificationSessionsService) {}

  @Get(':id')
  find(@Param('id') id: string): VerificationSession {
    const session = this.sessions.find(id);
    if (!session) throw new NotFoundException(`No FaceSign session ${id}`);
    return session;
  }
}
