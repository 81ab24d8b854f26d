import { createFaceWebhooksTestingApp, type FaceWebhooksTestingApp } from 'nestjs-face-webhooks/testing';
import { LivenessChecksService } from './liveness-checks.service.js';
import { livenessProvider } from './liveness.definition.js';

describe('LivenessChecksService, fed by the in-house liveness vendor', () => {
  let testing: FaceWebhooksTestingApp;

  beforeEach(async () => {
    testing = await createFaceWebhooksTestingApp({
      webhookProviders: [livenessProvider],
      providers: [LivenessChecksService],
    });
  });
  afterEach(() => testing.close());

  it('keeps the reason a check failed', async () => {
    const response = await testing.deliver('liveness.check.failed', {
      'result.userRef': 'user-9',
      'result.reason': 'spoof_detected',
    });
    expect(response.status).toBe(200);
    expect(testing.app.get(LivenessChecksService).statusOf('user-9')).toMatchObject({
      live: false,
      reason: 'spoof_detected',
    });
  });
});
