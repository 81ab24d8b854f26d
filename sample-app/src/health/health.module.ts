import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { FaceWebhooksHealthModule } from 'nestjs-face-webhooks/health';
import { HealthController } from './health.controller.js';

// ConfigModule: the operator check reads HOST and CONSOLE_PASSWORD.
@Module({ imports: [FaceWebhooksHealthModule, ConfigModule], controllers: [HealthController] })
export class HealthModule {}
