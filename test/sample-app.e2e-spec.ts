import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { AppModule } from '../sample-app/src/app.module.js';
import { locateEnvFile } from '../sample-app/src/config/env-file.js';
import { CaptureLogger } from './support/capture-logger.js';

const TOKEN = 'sample-app-test-token';

describe('sample app', () => {
  let app: INestApplication;
  const send = (body: object) => {
    const signed = signFaceioRequest({ token: TOKEN, body });
    return request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body);
  };

  beforeAll(async () => {
    // A variable in the environment wins over the env file.
    process.env.FACEIO_WEBHOOK_TOKEN = TOKEN;
    app = await NestFactory.create(AppModule, { logger: new CaptureLogger() });
    await app.init();
  });
  afterAll(async () => {
    await app.close();
    delete process.env.FACEIO_WEBHOOK_TOKEN;
  });

  it('falls back to .env.example when there is no .env', () => {
    expect(locateEnvFile().path).toMatch(/sample-app[\\/]\.env(\.example)?$/);
  });

  it('records an enrolment, its authentications and its deletion, and audits every event', async () => {
    const facialId = 'sample-facial-id-1';
    expect((await send(faceioFixture('ENROLL', { facialId }))).status).toBe(200);
    const enrolled = await request(app.getHttpServer()).get(`/enrollments/${facialId}`);
    expect(enrolled.status).toBe(200);
    expect(enrolled.body).toMatchObject({
      facialId,
      age: '36',
      gender: 'female',
      enrolledAt: '2026-11-24T07:55:59.000Z',
    });
    expect(enrolled.body).not.toHaveProperty('lastAuthenticatedAt');

    expect((await send(faceioFixture('AUTH', { facialId }))).status).toBe(200);
    const authenticated = await request(app.getHttpServer()).get(`/enrollments/${facialId}`);
    expect(authenticated.body.lastAuthenticatedAt).toEqual(expect.any(String));
    expect((await request(app.getHttpServer()).get('/enrollments')).body).toHaveLength(1);

    expect((await send(faceioFixture('DELETION', { facialId }))).status).toBe(200);
    expect((await request(app.getHttpServer()).get(`/enrollments/${facialId}`)).status).toBe(404);

    const audit = await request(app.getHttpServer()).get('/face-events');
    expect(audit.body.map((e: { type: string }) => e.type)).toEqual([
      'faceio.ENROLL',
      'faceio.AUTH',
      'faceio.DELETION',
    ]);
    for (const entry of audit.body) {
      expect(entry).toEqual({
        provider: 'faceio',
        type: expect.any(String),
        id: expect.stringMatching(/^[0-9a-f]{64}$/),
        receivedAt: expect.any(String),
      });
    }
  });

  it('refuses a delivery signed with another token', async () => {
    const signed = signFaceioRequest({ token: 'dev-faceio-token-change-me', body: faceioFixture('AUTH') });
    const res = await request(app.getHttpServer())
      .post('/webhooks/faceio')
      .set(signed.headers)
      .send(signed.body);
    expect(res.status).toBe(401);
  });
});
