import { Injectable, Logger } from '@nestjs/common';
import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';

export interface Enrollment {
  readonly facialId: string;
  readonly appId: string;
  /** The app's user id, when the FACEIO payload linked one (`payload.userId`). */
  readonly userId?: string;
  readonly age?: string;
  readonly gender?: string;
  readonly enrolledAt: string;
  lastAuthenticatedAt?: string;
}

/** A face biometric IDaaS created for a user. */
export interface IdaasFaceBiometric {
  readonly userId: string;
  readonly entityId: string;
  readonly status?: string;
  readonly accountId: string;
  readonly createdAt: string;
}

/** What the app knows of one user's faces, from every provider. */
export interface UserFaces {
  readonly userId: string;
  readonly faceio: Enrollment[];
  readonly idaas: IdaasFaceBiometric[];
}

/** The app's record of enrolled faces, fed only by webhooks (FACEIO enrolments, IDaaS face biometrics). */
@Injectable()
export class EnrollmentsService {
  private readonly logger = new Logger(EnrollmentsService.name);
  private readonly enrollments = new Map<string, Enrollment>();
  private readonly idaasFaces = new Map<string, IdaasFaceBiometric>();

  @OnFaceEvent('faceio.ENROLL')
  onEnroll({ data, occurredAt }: FaceEventOf<'faceio.ENROLL'>): void {
    const linked = (data.payload as { userId?: unknown } | undefined)?.userId;
    this.enrollments.set(data.facialId, {
      facialId: data.facialId,
      appId: data.appId,
      userId: typeof linked === 'string' ? linked : undefined,
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

  @OnFaceEvent('idaas.face.biometric.created')
  onIdaasFace({ data: event, occurredAt }: FaceEventOf<'idaas.face.biometric.created'>): void {
    const { entityAttributes, entityId } = event.data;
    this.idaasFaces.set(entityId, {
      userId: entityAttributes.userId,
      entityId,
      status: entityAttributes.status,
      accountId: event.accountId,
      createdAt: occurredAt.toISOString(),
    });
  }

  @OnFaceEvent('idaas.authentication.failed')
  onIdaasAuthenticationFailed({ data: event }: FaceEventOf<'idaas.authentication.failed'>): void {
    const who = typeof event.data.subjectName === 'string' ? event.data.subjectName : 'unknown user';
    this.logger.warn(
      `IDaaS authentication failed for ${who} (account ${event.accountId}, event ${event.id})`,
    );
  }

  /** Every face of one user: FACEIO enrolments linked to the user id, and IDaaS face biometrics. */
  forUser(userId: string): UserFaces {
    return {
      userId,
      faceio: [...this.enrollments.values()].filter((enrollment) => enrollment.userId === userId),
      idaas: [...this.idaasFaces.values()].filter((face) => face.userId === userId),
    };
  }

  list(): Enrollment[] {
    return [...this.enrollments.values()];
  }

  find(facialId: string): Enrollment | undefined {
    return this.enrollments.get(facialId);
  }
}
