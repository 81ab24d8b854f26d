import { createFaceWebhooksTestingApp, type FaceWebhooksTestingApp } from 'nestjs-face-webhooks/testing';
import { EnrollmentsService } from './enrollments.service.js';

describe('EnrollmentsService, fed by webhooks', () => {
  let testing: FaceWebhooksTestingApp;
  let enrollments: EnrollmentsService;

  beforeEach(async () => {
    testing = await createFaceWebhooksTestingApp({ providers: [EnrollmentsService] });
    enrollments = testing.app.get(EnrollmentsService);
  });
  afterEach(() => testing.close());

  it('records a FACEIO enrolment', async () => {
    const response = await testing.deliver('faceio.ENROLL', { facialId: 'f1', 'details.age': '41' });
    expect(response.status).toBe(200);
    expect(enrollments.find('f1')?.age).toBe('41');
  });

  it('forgets a face FACEIO deleted', async () => {
    await testing.deliver('faceio.ENROLL', { facialId: 'f2' });
    await testing.deliver('faceio.DELETION', { facialId: 'f2' });
    expect(enrollments.find('f2')).toBeUndefined();
  });

  it("adds an IDaaS face biometric to its user's faces", async () => {
    await testing.deliver('idaas.face.biometric.created', { 'data.entityAttributes.userId': 'ada' });
    expect(enrollments.forUser('ada').idaas).toHaveLength(1);
  });

  it('answers 400 to a delivery its DTO refuses, and records nothing', async () => {
    const response = await testing.deliver('faceio.ENROLL', { facialId: 'f3', clientIp: 'nowhere' });
    expect(response.status).toBe(400);
    expect(enrollments.find('f3')).toBeUndefined();
  });
});
