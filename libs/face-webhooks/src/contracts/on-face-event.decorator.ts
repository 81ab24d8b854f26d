import { FACE_EVENT_HANDLER_METADATA } from './face-webhooks.tokens.js';
import type { CheckedFacePatterns, FaceEventOf } from './face-event-map.js';

/**
 * Runs the decorated method for every handled event whose type matches one of the patterns:
 * an exact type (`'faceio.ENROLL'`), a segment wildcard (`'faceio.*'`, `'facesign.media.*'`), a
 * provider's catch-all (`'idaas.**'`) or `'**'` for every event. Works on any provider or controller
 * in any module. A pattern that matches no known event type does not compile.
 *
 * Inline, the event is acknowledged only after every matching handler finished; a handler that
 * throws makes the delivery fail with 500 so the provider retries it. The handlers that succeeded are
 * recorded (by class and method name) and the retry runs only the ones that failed. Queued, each
 * handler is recorded as it finishes and a job's retries likewise run only unfinished handlers.
 * A handler can still run twice if the process dies between its effect and that record: make
 * effects idempotent on `event.id`. Type the parameter with {@link FaceEventOf}.
 *
 * @example
 * ```ts
 * import { Injectable } from '@nestjs/common';
 * import { OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
 *
 * @Injectable()
 * export class EnrollmentsService {
 *   @OnFaceEvent('faceio.ENROLL')
 *   async onEnroll(event: FaceEventOf<'faceio.ENROLL'>): Promise<void> {
 *     console.log(`enrolled ${event.data.facialId} (event ${event.id})`);
 *   }
 *
 *   @OnFaceEvent(['persona.inquiry.approved', 'persona.inquiry.declined'])
 *   onDecision(event: FaceEventOf<'persona.inquiry.*'>): void {
 *     console.log(event.type, event.data.data.attributes.payload.data.attributes.status);
 *   }
 * }
 * ```
 */
export function OnFaceEvent<const P extends string>(patterns: (P | readonly P[]) & CheckedFacePatterns<P>) {
  const list: readonly string[] = typeof patterns === 'string' ? [patterns] : (patterns as readonly string[]);
  return <H extends (event: FaceEventOf<P>) => unknown>(
    _target: object,
    _key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    const method = descriptor.value as object;
    const existing = (Reflect.getMetadata(FACE_EVENT_HANDLER_METADATA, method) as string[] | undefined) ?? [];
    Reflect.defineMetadata(FACE_EVENT_HANDLER_METADATA, [...existing, ...list], method);
  };
}
