import { Controller, Get, UseGuards } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { FaceWebhooksHealthIndicator } from 'nestjs-face-webhooks/health';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

/** GET /health: 200 while the webhooks' store (and queue) answer, 503 naming what does not. */
@UseGuards(OperatorAccessGuard)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly faceWebhooks: FaceWebhooksHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    // Any event in the failed set needs a look: a replay, or a fix and then a replay.
    return this.health.check([() => this.faceWebhooks.isHealthy('face-webhooks', { maxFailedEvents: 0 })]);
  }
}
