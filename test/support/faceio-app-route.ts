import { Controller, Post } from '@nestjs/common';
import {
  FaceWebhookEvent,
  FaceWebhookPipeline,
  FaceWebhookRoute,
  type FaceEventOf,
  type WebhookAck,
} from 'nestjs-face-webhooks';

/** A FACEIO delivery route of the app's own, at `POST /legacy/faceio-hook`, handing every event on. */
@Controller()
export class FaceioAppRouteController {
  constructor(private readonly pipeline: FaceWebhookPipeline) {}

  @Post('legacy/faceio-hook')
  @FaceWebhookRoute('faceio')
  receive(@FaceWebhookEvent() event: FaceEventOf<'faceio.*'>): Promise<WebhookAck> {
    return this.pipeline.process(event);
  }
}
