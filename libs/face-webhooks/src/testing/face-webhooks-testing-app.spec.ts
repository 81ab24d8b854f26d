import { Injectable } from '@nestjs/common';
import { OnFaceEvent } from '../contracts/on-face-event.decorator.js';
import type { FaceEventOf } from '../contracts/face-event-map.js';
import { createFaceWebhooksTestingApp, type FaceWebhooksTestingApp } from './face-webhooks-testing-app.js';

@Injectable()
class Enrolments {
  readonly facialIds: string[] = [];

  @OnFaceEvent('faceio.ENROLL')
  onEnroll(event: FaceEventOf<'faceio.ENROLL'>): void {
    this.facialIds.push(event.data.facialId);
  }
}

// Compile-time checks: `npm run lint` type-checks this file, and an @ts-expect-error that is no
// longer an error fails it. `deliver()` takes the event types `@OnFaceEvent` takes, no others.
async function typedDeliveries(testing: FaceWebhooksTestingApp): Promise<void> {
  await testing.deliver('faceio.ENROLL');
  await testing.deliver('idaas.face.biometric.created', { 'data.entityAttributes.userId': 'u1' });
  // @ts-expect-error a misspelt type is no event the app can receive
  await testing.deliver('faceio.ENROL');
  // @ts-expect-error a pattern is for handlers; a delivery has one concrete type
  await testing.deliver('faceio.*');
  // @ts-expect-error a provider's name alone is not an event type
  await testing.deliver('faceio');
}

describe('createFaceWebhooksTestingApp', () => {
  let testing: FaceWebhooksTestingApp;
  beforeAll(async () => {
    testing = await createFaceWebhooksTestingApp({ providers: [Enrolments] });
  });
  afterAll(() => testing.close());

  it('delivers a signed event of a known type to the handlers, with the fields set', async () => {
    const response = await testing.deliver('faceio.ENROLL', { facialId: 'typed-1' });
    expect(response.status).toBe(200);
    expect(testing.app.get(Enrolments).facialIds).toEqual(['typed-1']);
    expect(typedDeliveries).toBeInstanceOf(Function);
  });
});
