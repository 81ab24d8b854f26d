import { Module } from '@nestjs/common';
import { VerificationSessionsController } from './verification-sessions.controller.js';
import { VerificationSessionsService } from './verification-sessions.service.js';

@Module({ controllers: [VerificationSessionsController], providers: [VerificationSessionsService] })
export class VerificationSessionsModule {}
