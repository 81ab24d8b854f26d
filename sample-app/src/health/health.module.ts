import { Module } from '@nestjs/common';
import { FaceWebhooksHealthModule } from 'nestjs-face-webhooks/health';
import { HealthController } from './health.controller.js';

@Module({ imports: [FaceWebhooksHealthModule], controllers: [HealthController] })
export class HealthModule {}
