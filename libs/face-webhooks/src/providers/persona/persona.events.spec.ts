import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import { OnFaceEvent } from '../../contracts/on-face-event.decorator.js';
import type { PersonaInquiryEventDto, PersonaVerificationEventDto } from './persona-event.dto.js';
import {
  PERSONA_EVENT_TYPES,
  PERSONA_INQUIRY_EVENT_TYPES,
  PERSONA_VERIFICATION_EVENT_TYPES,
} from './persona.events.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

class HyphenatedHandler {
  @OnFaceEvent('persona.inquiry.marked-for-review')
  onReview(event: FaceEventOf<'persona.inquiry.marked-for-review'>): string {
    return event.data.data.attributes.payload.data.attributes.status;
  }
}

describe('Persona event types', () => {
  it('types every event, the hyphenated one included', () => {
    assertType<Equal<FaceEventOf<'persona.inquiry.marked-for-review'>['data'], PersonaInquiryEventDto>>();
    assertType<Equal<FaceEventOf<'persona.inquiry.*'>['data'], PersonaInquiryEventDto>>();
    assertType<Equal<FaceEventOf<'persona.verification.*'>['data'], PersonaVerificationEventDto>>();
    assertType<
      Equal<FaceEventTypesMatching<'persona.**'>, `persona.${(typeof PERSONA_EVENT_TYPES)[number]}`>
    >();
    assertType<Equal<FaceEventTypesMatching<'persona.*'>, never>>();
    assertType<
      Equal<FaceEventTypesMatching<'persona.inquiry.marked-for-review'>, 'persona.inquiry.marked-for-review'>
    >();
    expect(PERSONA_EVENT_TYPES).toEqual([
      ...PERSONA_INQUIRY_EVENT_TYPES,
      ...PERSONA_VERIFICATION_EVENT_TYPES,
    ]);
    expect(PERSONA_EVENT_TYPES).toHaveLength(8);
    expect(new HyphenatedHandler()).toBeInstanceOf(HyphenatedHandler);
  });

  it('does not compile a pattern that matches no Persona event', () => {
    class Wrong {
      // @ts-expect-error: Persona's name is marked-for-review, not marked_for_review
      @OnFaceEvent('persona.inquiry.marked_for_review')
      on(): void {}
    }
    expect(Wrong).toBeDefined();
  });
});
