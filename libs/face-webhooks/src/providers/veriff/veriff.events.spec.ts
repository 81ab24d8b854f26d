import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import { OnFaceEvent } from '../../contracts/on-face-event.decorator.js';
import type { VeriffDecisionWebhookDto, VeriffEventWebhookDto } from './veriff-event.dto.js';
import {
  VERIFF_DECISION_EVENT_TYPES,
  VERIFF_EVENT_TYPES,
  VERIFF_SESSION_EVENT_TYPES,
} from './veriff.events.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

class DecisionHandler {
  @OnFaceEvent('veriff.decision.*')
  onDecision(event: FaceEventOf<'veriff.decision.*'>): string | null | undefined {
    return event.data.verification.vendorData;
  }
}

describe('Veriff event types', () => {
  it('types decisions and session events', () => {
    assertType<Equal<FaceEventOf<'veriff.decision.approved'>['data'], VeriffDecisionWebhookDto>>();
    assertType<Equal<FaceEventOf<'veriff.decision.*'>['data'], VeriffDecisionWebhookDto>>();
    assertType<Equal<FaceEventOf<'veriff.event.*'>['data'], VeriffEventWebhookDto>>();
    assertType<Equal<FaceEventTypesMatching<'veriff.**'>, `veriff.${(typeof VERIFF_EVENT_TYPES)[number]}`>>();
    expect(VERIFF_EVENT_TYPES).toEqual([...VERIFF_DECISION_EVENT_TYPES, ...VERIFF_SESSION_EVENT_TYPES]);
    expect(VERIFF_EVENT_TYPES).toHaveLength(8);
    expect(new DecisionHandler()).toBeInstanceOf(DecisionHandler);
  });

  it('does not compile a pattern that matches no Veriff event', () => {
    class Wrong {
      // @ts-expect-error: the status is resubmission_requested
      @OnFaceEvent('veriff.decision.resubmission')
      on(): void {}
    }
    expect(Wrong).toBeDefined();
  });
});
