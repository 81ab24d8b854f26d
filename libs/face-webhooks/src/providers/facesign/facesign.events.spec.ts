import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import type { FaceSignMediaDto } from './facesign-event.dto.js';
import { FACESIGN_EVENT_TYPES, FACESIGN_MEDIA_EVENT_TYPES } from './facesign.events.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

describe('FaceSign event types', () => {
  it('types every event, with media required on the media events', () => {
    assertType<Equal<FaceEventOf<'facesign.media.*'>['data']['media'], FaceSignMediaDto>>();
    assertType<
      Equal<FaceEventTypesMatching<'facesign.**'>, `facesign.${(typeof FACESIGN_EVENT_TYPES)[number]}`>
    >();
    assertType<Equal<FaceEventTypesMatching<'facesign.*'>, never>>(); // every FaceSign type has two segments
    expect(FACESIGN_EVENT_TYPES).toHaveLength(9);
    expect([...FACESIGN_MEDIA_EVENT_TYPES].every((type) => type.startsWith('media.'))).toBe(true);
  });
});
