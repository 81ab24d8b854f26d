import { Module } from '@nestjs/common';
import { LivenessChecksService } from './liveness-checks.service.js';
import { LivenessController } from './liveness.controller.js';

/** The app's side of the in-house liveness vendor: its handler and what it recorded. */
@Module({ controllers: [LivenessController], providers: [LivenessChecksService] })
export class LivenessModule {}
