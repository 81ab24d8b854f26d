import { Controller, Get, UseGuards } from '@nestjs/common';
import { FaceEventsService, type AuditEntry } from './face-events.service.js';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

@UseGuards(OperatorAccessGuard)
@Controller('face-events')
export class FaceEventsController {
  constructor(private readonly events: FaceEventsService) {}

  @Get()
  list(): AuditEntry[] {
    return this.events.list();
  }
}
