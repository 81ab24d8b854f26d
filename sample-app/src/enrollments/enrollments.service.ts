import { Injectable, Logger } from '@nestjs/common';
import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';

export interface Enrollment {
  readonly facialId: string;
  readonly appId: string;
  readonly age?: string;
  readonly gender?: string;
  readonly enrolledAt: string;
  lastAuthenticatedAt?: string;
}

/** The app's record of enrolled faces, fed only by FACEIO webhooks. */
@Injectable()
export class EnrollmentsService {
  private readonly logger = new Logger(EnrollmentsService.name);
  private readonly enrollments = new Map<string, Enrollment>();

  @OnFaceEvent('faceio.ENROLL')
  onEnroll({ data, occurredAt }: FaceEventOf<'faceio.ENROLL'>): void {
    this.enrollments.set(data.facialId, {
      facialId: data.facialId,
      appId: data.appId,
      age: data.details?.age,
      gender: data.details?.gender,
      enrolledAt: occurredAt.toISOString(),
    });
  }

  @OnFaceEvent('faceio.AUTH')
  onAuth({ data, occurredAt }: FaceEventOf<'faceio.AUTH'>): void {
    const enrollment = this.enrollments.get(data.facialId);
    if (!enrollment) {
      this.logger.warn(`AUTH for ${data.facialId}, which this app never saw enrol`);
      return;
    }
    enrollment.lastAuthenticatedAt = occurredAt.toISOString();
  }

  @OnFaceEvent('faceio.DELETION')
  onDeletion({ data }: FaceEventOf<'faceio.DELETION'>): void {
    this.enrollments.delete(data.facialId);
  }

  list(): Enrollment[] {
    return [...this.enrollments.values()];
  }

  find(facialId: string): Enrollment | undefined {
    return this.enrollments.get(facialId);
  }
}
