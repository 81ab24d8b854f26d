import { Module } from '@nestjs/common';
import { EnrollmentsController } from './enrollments.controller.js';
import { EnrollmentsService } from './enrollments.service.js';

@Module({ controllers: [EnrollmentsController], providers: [EnrollmentsService] })
export class EnrollmentsModule {}
