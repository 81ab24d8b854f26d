import { FACE_EVENT_HANDLER_METADATA } from './face-webhooks.tokens.js';
import type { AnyFaceEvent, FaceEventOf, FaceEventTypesMatching } from './face-event-map.js';
import { OnFaceEvent } from './on-face-event.decorator.js';
import '../providers/faceio/faceio.events.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

class Handlers {
  @OnFaceEvent('faceio.ENROLL')
  exact(_event: FaceEventOf<'faceio.ENROLL'>): void {}

  @OnFaceEvent(['faceio.AUTH', 'faceio.DELETION'])
  @OnFaceEvent('faceio.*')
  several(_event: FaceEventOf<'faceio.*'>): void {}

  @OnFaceEvent('**')
  everything(_event: AnyFaceEvent): void {}
}

// Compile-time checks: `npm run lint` type-checks this file, and an @ts-expect-error that is no
// longer an error fails it.
class MisusedHandlers {
  // @ts-expect-error a misspelt type matches no known event
  @OnFaceEvent('faceio.ENROL')
  misspelt(_event: FaceEventOf<'faceio.ENROLL'>): void {}

  // @ts-expect-error a lone '*' is one segment, and every type has at least two
  @OnFaceEvent('*')
  lonelyStar(_event: AnyFaceEvent): void {}

  // @ts-expect-error the parameter is not an event of the pattern
  @OnFaceEvent('faceio.AUTH')
  wrongParameter(_event: { type: 'faceio.AUTH'; data: string }): void {}
}

describe('@OnFaceEvent', () => {
  it('records every pattern on the method, merging stacked decorators', () => {
    const patterns = (method: unknown) => Reflect.getMetadata(FACE_EVENT_HANDLER_METADATA, method as object);
    expect(patterns(Handlers.prototype.exact)).toEqual(['faceio.ENROLL']);
    expect(patterns(Handlers.prototype.several)).toEqual(['faceio.*', 'faceio.AUTH', 'faceio.DELETION']);
    expect(patterns(Handlers.prototype.everything)).toEqual(['**']);
    expect(MisusedHandlers).toBeDefined();
  });

  it('types the parameter from the pattern', () => {
    assertType<
      Equal<FaceEventTypesMatching<'faceio.*'>, 'faceio.ENROLL' | 'faceio.AUTH' | 'faceio.DELETION'>
    >();
    assertType<Equal<FaceEventTypesMatching<'faceio.**'>, FaceEventTypesMatching<'faceio.*'>>>();
    assertType<Equal<FaceEventTypesMatching<'faceio.AUTH'>, 'faceio.AUTH'>>();
    assertType<Equal<FaceEventTypesMatching<'faceio'>, never>>();
    assertType<Equal<FaceEventOf<'faceio.ENROLL'>['provider'], 'faceio'>>();
    assertType<Equal<FaceEventOf<'faceio.ENROLL'>['data']['facialId'], string>>();
  });
});
