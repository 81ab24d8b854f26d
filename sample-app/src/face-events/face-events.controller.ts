import { Controller, Get } from '@nestjs/common';
import { FaceEventsService, type AuditEntry } from './face-events.service.js';

@Controller('face-events')
export class FaceEventsController {
  constructor(private readonly events: FaceEventsService) {}

  @Get()
  list(): AuditEntry[] {
    return this.events.list();
  }
}
