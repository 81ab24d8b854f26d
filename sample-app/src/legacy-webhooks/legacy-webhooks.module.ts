import { Module } from '@nestjs/common';
import { LegacyFaceioController } from './legacy-faceio.controller.js';

@Module({ controllers: [LegacyFaceioController] })
export class LegacyWebhooksModule {}
