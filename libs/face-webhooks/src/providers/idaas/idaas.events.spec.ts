import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import type { IdaasFaceBiometricCreatedDataDto } from './idaas-event.dto.js';
import { IDAAS_EVENT_TYPES } from './idaas.events.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

describe('IDaaS event types', () => {
  it('types all sixteen events, the face event in full', () => {
    assertType<Equal<FaceEventTypesMatching<'idaas.**'>, `idaas.${(typeof IDAAS_EVENT_TYPES)[number]}`>>();
    assertType<
      Equal<
        FaceEventOf<'idaas.face.biometric.created'>['data']['data'],
        IdaasFaceBiometricCreatedDataDto & Record<string, unknown>
      >
    >();
    assertType<Equal<FaceEventOf<'idaas.user.deleted'>['data']['data'], Record<string, unknown>>>();
    assertType<
      Equal<
        FaceEventTypesMatching<'idaas.passkey.*'>,
        'idaas.passkey.created' | 'idaas.passkey.updated' | 'idaas.passkey.deleted'
      >
    >();
    expect(IDAAS_EVENT_TYPES).toHaveLength(16);
  });
});
