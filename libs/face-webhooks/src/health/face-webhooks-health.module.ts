import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { FaceWebhooksHealthIndicator } from './face-webhooks.health-indicator.js';

/** Import beside `FaceWebhooksModule` to inject {@link FaceWebhooksHealthIndicator}. */
@Module({
  imports: [TerminusModule],
  providers: [FaceWebhooksHealthIndicator],
  exports: [FaceWebhooksHealthIndicator, TerminusModule],
})
export class FaceWebhooksHealthModule {}
