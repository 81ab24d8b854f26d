import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { startTelemetry } from './telemetry.js';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

/** Prometheus scrapes this: the library's face_webhooks_* metrics, among any others of the app. */
@UseGuards(OperatorAccessGuard)
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return startTelemetry().prometheusText();
  }
}
