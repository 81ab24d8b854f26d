import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { EnrollmentsService, type Enrollment, type UserFaces } from './enrollments.service.js';
import { OperatorAccessGuard } from '../console/operator-access.guard.js';

@UseGuards(OperatorAccessGuard)
@Controller('enrollments')
export class EnrollmentsController {
  constructor(private readonly enrollments: EnrollmentsService) {}

  @Get()
  list(): Enrollment[] {
    return this.enrollments.list();
  }

  /** Declared before `:facialId` so `users` is not taken for a facial id. */
  @Get('users/:userId')
  forUser(@Param('userId') userId: string): UserFaces {
    return this.enrollments.forUser(userId);
  }

  @Get(':facialId')
  find(@Param('facialId') facialId: string): Enrollment {
    const enrollment = this.enrollments.find(facialId);
    if (!enrollment) throw new NotFoundException(`No enrollment for facial id ${facialId}`);
    return enrollment;
  }
}
