import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { VerificationSessionsService, type VerificationSession } from './verification-sessions.service.js';

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
