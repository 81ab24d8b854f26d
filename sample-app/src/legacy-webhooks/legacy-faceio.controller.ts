import { Controller, Logger, Post } from '@nestjs/common';
import {
  FaceWebhookEvent,
  FaceWebhookPipeline,
  FaceWebhookRoute,
  type FaceEventOf,
  type WebhookAck,
} from 'nestjs-face-webhooks';

/**
 * The URL FACEIO was set up with before this app used the library, kept so the FACEIO console need
 * not change: a delivery route of the app's own, as safe as `/webhooks/faceio`. Its events reach
 * the same `@OnFaceEvent` handlers (enrolments, the audit), and a repeat on either URL is the same
 * event.
 */
@Controller('api/v1')
export class LegacyFaceioController {
  private readonly logger = new Logger('LegacyWebhooks');

  constructor(private readonly pipeline: FaceWebhookPipeline) {}

  @Post('faceio-callback')
  @FaceWebhookRoute('faceio')
  async receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): Promise<WebhookAck> {
    this.logger.log(`FACEIO ${event.type} for ${event.data.facialId} at the legacy URL`);
    return this.pipeline.process(event);
  }
}
