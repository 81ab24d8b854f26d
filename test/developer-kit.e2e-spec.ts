import { Injectable } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FaceWebhooksModule, OnFaceEvent, type FaceEventOf } from 'nestjs-face-webhooks';
import { createFaceWebhooksTestingApp, TEST_SECRETS } from 'nestjs-face-webhooks/testing';
import { ADAPTERS, createTestApp } from './support/create-app.js';

/** A user's own service, tested the way the README shows. */
@Injectable()
class FacesService {
  readonly enrolled = new Map<string, string | undefined>();
  readonly idaasUsers: string[] = [];

  @OnFaceEvent('faceio.ENROLL')
  onEnroll(event: FaceEventOf<'faceio.ENROLL'>): void {
    this.enrolled.set(event.data.facialId, event.data.details?.age);
  }

  @OnFaceEvent('idaas.face.biometric.created')
  onIdaasFace(event: FaceEventOf<'idaas.face.biometric.created'>): void {
    this.idaasUsers.push(event.data.data.entityAttributes.userId);
  }
}

describe('createFaceWebhooksTestingApp', () => {
  it('makes a handler test a few lines, for every provider', async () => {
    const testing = await createFaceWebhooksTestingApp({ providers: [FacesService] });
    try {
      expect(await testing.deliver('faceio.ENROLL', { facialId: 'f1', 'details.age': '41' })).toMatchObject({
        status: 200,
        body: { received: true },
      });
      expect(testing.app.get(FacesService).enrolled.get('f1')).toBe('41');

      expect(
        (await testing.deliver('idaas.face.biometric.created', { 'data.entityAttributes.userId': 'ada' }))
          .status,
      ).toBe(200);
      expect(testing.app.get(FacesService).idaasUsers).toEqual(['ada']);

      expect((await testing.deliver('facesign.media.user_photo')).status).toBe(200);
      expect((await testing.deliver('faceio.ENROLL', { clientIp: 'nowhere' })).status).toBe(400);
      // @ts-expect-error no such FACEIO event: it does not compile, and throws if called anyway
      await expect(testing.deliver('faceio.NOPE')).rejects.toThrow('unknown event type');
      expect(TEST_SECRETS.faceio).toBeTruthy();
    } finally {
      await testing.close();
    }
  });
});

describe.each(ADAPTERS)('OpenAPI document (with @nestjs/swagger installed, %s)', (adapter) => {
  it('describes the webhook route: provider, credential headers, bodies and the error contract', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        FaceWebhooksModule.forRoot({
          faceio: { token: 't' },
          facesign: { secret: 's' },
          idaas: { secret: 'i' },
        }),
      ],
    });
    try {
      const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
      const operation = document.paths['/webhooks/{provider}']?.post;
      expect(operation).toBeDefined();
      const parameters = (operation!.parameters ?? []) as {
        name: string;
        in: string;
        schema?: { enum?: string[] };
      }[];
      expect(parameters.find((p) => p.name === 'provider')?.schema?.enum).toEqual([
        'faceio',
        'facesign',
        'idaas',
      ]);
      const headers = parameters.filter((p) => p.in === 'header').map((p) => p.name);
      expect(headers).toEqual(
        expect.arrayContaining([
          'WWW-Authenticate',
          'X-FaceSign-Signature',
          'X-FaceSign-Timestamp',
          'Content-Digest',
          'Signature-Input',
          'Signature',
        ]),
      );
      const body = operation!.requestBody as {
        content: Record<string, { schema: { oneOf: { title: string }[] } }>;
      };
      expect(body.content['application/json']!.schema.oneOf.map((schema) => schema.title)).toEqual([
        'FACEIO event',
        'FaceSign event',
        'IDaaS event',
      ]);
      expect(Object.keys(operation!.responses)).toEqual(
        expect.arrayContaining(['200', '202', '400', '401', '404', '408', '413', '415', '500', '503']),
      );
    } finally {
      await app.close();
    }
  });
});
