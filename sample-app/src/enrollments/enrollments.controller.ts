import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { EnrollmentsService, type Enrollment } from './enrollments.service.js';

@Controller('enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Get()
  list(): Enrollment[] {
    return this.enrollments.list();
  }

  @Get(':facialId')
  find(@Param('facialId') facialId: string): Enrollment {
    const enrollment = this.enrollments.find(facialId);
    if (!enrollment) throw new NotFoundException(`No enrollment for facial id ${facialId}`);
    return enrollment;
  }
}
