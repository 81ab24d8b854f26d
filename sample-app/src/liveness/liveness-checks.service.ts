import { Injectable, Logger } from '@nestjs/common';
import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';

/** The latest liveness result of one user. */
export interface LivenessStatus {
  readonly userRef: string;
  readonly live: boolean;
  readonly score?: number;
  readonly reason?: string;
  /** The vendor's event, for support requests. */
  readonly eventId: string;
  readonly checkedAt: string;
}

/** Keeps each user's latest liveness result: what a sign-up flow asks before it trusts a selfie. */
@Injectable()
export class LivenessChecksService {
  private readonly logger = new Logger(LivenessChecksService.name);
  private readonly byUser = new Map<string, LivenessStatus>();

  /** Typed by the event map: `event.data.result` is the vendor's result (with a `reason` on check.failed). */
  @OnFaceEvent('liveness.check.*')
  record(event: FaceEventOf<'liveness.check.*'>): void {
    const { userRef, score } = event.data.result;
    const previous = this.byUser.get(userRef);
    // Deliveries can arrive out of order: an older result never replaces a newer one.
    if (previous && previous.checkedAt > event.occurredAt.toISOString()) return;
    const live = event.type === 'liveness.check.passed';
    this.byUser.set(userRef, {
      userRef,
      live,
      score,
      reason: event.type === 'liveness.check.failed' ? event.data.result.reason : undefined,
      eventId: event.id,
      checkedAt: event.occurredAt.toISOString(),
    });
    this.logger.log(`Liveness of ${userRef}: ${live ? 'passed' : 'failed'}`);
  }

  statusOf(userRef: string): LivenessStatus | undefined {
    return this.byUser.get(userRef);
  }

  list(): LivenessStatus[] {
    return [...this.byUser.values()];
  }
}
