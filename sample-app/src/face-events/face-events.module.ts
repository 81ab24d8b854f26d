import { Module } from '@nestjs/common';
import { FaceEventsController } from './face-events.controller.js';
import { FaceEventsService } from './face-events.service.js';

@Module({ controllers: [FaceEventsController], providers: [FaceEventsService] })
export class FaceEventsModule {}
