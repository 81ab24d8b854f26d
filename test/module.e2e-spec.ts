import {
  Body,
  type CanActivate,
  Controller,
  type ExecutionContext,
  HttpCode,
  Injectable,
  Module,
  Post,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { IsString } from 'class-validator';
import {
  FaceWebhooksConfigError,
  FaceWebhooksModule,
  FaceioWebhookGuard,
  isFaceWebhookRoute,
} from 'nestjs-face-webhooks';
import { faceioFixture, signFaceioRequest } from 'nestjs-face-webhooks/testing';
import request from 'supertest';
import { CaptureLogger } from './support/capture-logger.js';
import { ADAPTERS, createTestApp } from './support/create-app.js';
import { RecordingHandlers } from './support/recording-handlers.js';

const TOKEN = 'module-test-token';
const enroll = (facialId: string) =>
  signFaceioRequest({ token: TOKEN, body: faceioFixture('ENROLL', { facialId }) });

class GreetingDto {
  @IsString()
  name!: string;
}

/** An ordinary route of the host app, to prove the module leaves it alone. */
@Controller('greetings')
class GreetingsController {
  @Post()
  @HttpCode(200)
  greet(@Body() body: GreetingDto): { hello: string; isParsed: boolean } {
    return { hello: body.name, isParsed: !Buffer.isBuffer(body) };
  }
}

/** A route of the app's own, protected with the exported guard. */
@Controller('custom')
class CustomFaceioController {
  @Post('faceio-hook')
  @HttpCode(200)
  @UseGuards(FaceioWebhookGuard)
  receive(): { ok: true } {
    return { ok: true };
  }
}

/** An app-wide guard that wants a session on every route, except the webhook routes. */
@Injectable()
class SessionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return isFaceWebhookRoute(context);
  }
}

@Module({ providers: [{ provide: APP_GUARD, useClass: SessionGuard }] })
class SessionGuardModule {}

describe.each(ADAPTERS)('FaceWebhooksModule in a host application (%s)', (adapter) => {
  it('serves under the global prefix and a custom base path, next to a strict global ValidationPipe', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ basePath: '/hooks/face/', faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      controllers: [GreetingsController],
      globalPrefix: 'api',
      globalPipe: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
    });
    const handlers = app.get(RecordingHandlers);
    const server = app.getHttpServer();
    expect(app.getHttpAdapter().getType()).toBe(adapter);
    try {
      const signed = enroll('prefix-1');
      const res = await request(server).post('/api/hooks/face/faceio').set(signed.headers).send(signed.body);
      expect(res.status).toBe(200);
      expect(handlers.of('enroll')).toHaveLength(1);
      // The webhook body has fields no whitelist knows; the pipe must not have touched it.
      expect(handlers.of('enroll')[0]!.data).toHaveProperty('payload');

      expect(
        (await request(server).post('/webhooks/faceio').set(signed.headers).send(signed.body)).status,
      ).toBe(404);
      expect(
        (await request(server).post('/api/webhooks/faceio').set(signed.headers).send(signed.body)).status,
      ).toBe(404);

      // The app's own routes still get parsed, validated JSON.
      const greeting = await request(server).post('/api/greetings').send({ name: 'Ada' });
      expect(greeting.body).toEqual({ hello: 'Ada', isParsed: true });
      expect((await request(server).post('/api/greetings').send({ name: 'Ada', extra: 1 })).status).toBe(400);
    } finally {
      await app.close();
    }
  });

  it('works the same when the app was created with rawBody: true', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      rawBody: true,
    });
    try {
      const signed = enroll('raw-body-1');
      const res = await request(app.getHttpServer())
        .post('/webhooks/faceio')
        .set(signed.headers)
        .send(signed.body);
      expect(res.status).toBe(200);
      expect(app.get(RecordingHandlers).of('enroll')[0]!.raw.toString()).toBe(signed.body);
    } finally {
      await app.close();
    }
  });

  it('takes its options from @nestjs/config through forRootAsync', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ FACEIO_WEBHOOK_TOKEN: TOKEN })] }),
        FaceWebhooksModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => ({
            faceio: { token: config.getOrThrow<string>('FACEIO_WEBHOOK_TOKEN') },
          }),
        }),
      ],
      providers: [RecordingHandlers],
    });
    try {
      const signed = enroll('async-1');
      expect(
        (await request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body))
          .status,
      ).toBe(200);
      expect(app.get(RecordingHandlers).of('enroll')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('lets an app protect its own route with FaceioWebhookGuard', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      controllers: [CustomFaceioController],
    });
    try {
      const server = app.getHttpServer();
      const signed = enroll('guard-1');
      expect(
        (await request(server).post('/custom/faceio-hook').set(signed.headers).send(signed.body)).status,
      ).toBe(200);
      const wrong = signFaceioRequest({ token: 'wrong', body: faceioFixture('AUTH') });
      const refused = await request(server).post('/custom/faceio-hook').set(wrong.headers).send(wrong.body);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ statusCode: 401, message: 'Unauthorized' });
      expect((await request(server).post('/custom/faceio-hook').send(signed.body)).status).toBe(401);
    } finally {
      await app.close();
    }
  });

  it('lets an app-wide guard recognise the webhook routes with isFaceWebhookRoute', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [SessionGuardModule, FaceWebhooksModule.forRoot({ faceio: { token: TOKEN } })],
      providers: [RecordingHandlers],
      controllers: [GreetingsController],
    });
    try {
      const signed = enroll('app-guard-1');
      expect(
        (await request(app.getHttpServer()).post('/webhooks/faceio').set(signed.headers).send(signed.body))
          .status,
      ).toBe(200);
      expect((await request(app.getHttpServer()).post('/greetings').send({ name: 'x' })).status).toBe(403);
    } finally {
      await app.close();
    }
  });

  it('refuses FACEIO deliveries for another application when appId is set', async () => {
    const { app } = await createTestApp({
      adapter,
      imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN, appId: 'fioa8d2e' } })],
      providers: [RecordingHandlers],
    });
    try {
      const server = app.getHttpServer();
      const ours = enroll('app-1');
      expect((await request(server).post('/webhooks/faceio').set(ours.headers).send(ours.body)).status).toBe(
        200,
      );
      const theirs = signFaceioRequest({
        token: TOKEN,
        body: faceioFixture('ENROLL', { appId: 'other-app' }),
      });
      expect(
        (await request(server).post('/webhooks/faceio').set(theirs.headers).send(theirs.body)).status,
      ).toBe(401);
      expect(app.get(RecordingHandlers).of('enroll')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with every provider disabled, rather than serve no route', async () => {
    await expect(
      Test.createTestingModule({
        imports: [FaceWebhooksModule.forRoot({ faceio: { token: TOKEN, enabled: false } })],
      }).compile(),
    ).rejects.toThrow('no provider is enabled');
  });

  describe('bootstrap checks', () => {
    const bootWith = async (options: Parameters<typeof FaceWebhooksModule.forRoot>[0]) => {
      @Module({ imports: [FaceWebhooksModule.forRoot(options)] })
      class AppModule {}
      const app = await NestFactory.create(AppModule, { logger: new CaptureLogger(), abortOnError: false });
      await app.close();
    };

    it.each([
      [
        'a missing FACEIO token',
        { faceio: { token: undefined as unknown as string } },
        'faceio.token is required',
      ],
      ['an empty FACEIO token', { faceio: { token: '  ' } }, 'faceio.token is required'],
      ['an empty token list', { faceio: { token: [] } }, 'faceio.token is required'],
      [
        'a bad de-duplication window',
        { faceio: { token: 't', deduplicationTtlMs: -1 } },
        'faceio.deduplicationTtlMs',
      ],
      ['a bad body limit', { faceio: { token: 't' }, bodyLimit: 'lots' }, 'bodyLimit'],
      [
        'a body limit in words',
        { faceio: { token: 't' }, bodyLimit: '2 megabytes' },
        "bodyLimit: use a number of bytes or a size such as '256kb' or '2mb'",
      ],
      ['a body limit with a one-letter unit', { faceio: { token: 't' }, bodyLimit: '10k' }, 'bodyLimit: use'],
      [
        'a body limit of a fraction of a byte',
        { faceio: { token: 't' }, bodyLimit: '0.1kb' },
        'bodyLimit: use',
      ],
      ['no provider at all', {}, 'no provider is enabled'],
      [
        'a provider key in the wrong case',
        { faceio: { token: 't' }, idaaS: { secret: 's' } },
        'idaaS is not an option of FaceWebhooksModule: did you mean idaas?',
      ],
      [
        'a shortened option key',
        { faceio: { token: 't' }, dedupStore: 'redis' },
        'dedupStore is not an option of FaceWebhooksModule: did you mean deduplicationStore?',
      ],
      [
        'a lone misspelt provider',
        { faceIO: { token: 't' } },
        'faceIO is not an option of FaceWebhooksModule: did you mean faceio?',
      ],
      [
        'queued delivery with the queue off',
        { faceio: { token: 't', delivery: 'queued' } },
        "faceio delivery is 'queued' but the queue is off",
      ],
      [
        'the queue without Redis',
        { faceio: { token: 't' }, queue: true },
        'redis is required when the queue is on',
      ],
      [
        'a Redis store without Redis',
        { faceio: { token: 't' }, deduplicationStore: 'redis' },
        "redis is required with deduplicationStore: 'redis'",
      ],
      [
        'tenants without a lookup',
        { faceio: { tenants: { resolve: 'db' } } },
        'faceio.tenants.resolve must be a function',
      ],
      [
        'a bad tenant cache setting',
        { idaas: { tenants: { resolve: () => null, cacheTtlMs: 0 } } },
        'idaas.tenants.cacheTtlMs must be a positive whole number',
      ],
      [
        'a Redis Cluster without nodes',
        { faceio: { token: 't' }, deduplicationStore: 'redis', redis: { cluster: [] } },
        'redis.cluster must list at least one node',
      ],
      [
        'a Redis URL that is not one',
        { faceio: { token: 't' }, deduplicationStore: 'redis', redis: 'not a url' },
        'redis must be a redis:// URL',
      ],
      [
        'a bad worker setting',
        { faceio: { token: 't' }, worker: { attempts: 0 } },
        'worker.attempts must be a positive integer',
      ],
    ])('stops the app on %s, naming the setting', async (_name, options, message) => {
      const boot = bootWith(options as Parameters<typeof FaceWebhooksModule.forRoot>[0]);
      await expect(boot).rejects.toThrow(FaceWebhooksConfigError);
      await expect(boot).rejects.toThrow(message);
    });

    it('stops the app when forRootAsync resolves without the secret', async () => {
      @Module({
        imports: [
          FaceWebhooksModule.forRootAsync({
            useFactory: () => ({ faceio: { token: process.env.NO_SUCH_VARIABLE_X as string } }),
          }),
        ],
      })
      class AppModule {}
      await expect(NestFactory.create(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
        'faceio.token is required',
      );
    });

    it('stops the app when forRootAsync resolves with an unknown key', async () => {
      @Module({
        imports: [
          FaceWebhooksModule.forRootAsync({
            useFactory: () => ({ faceio: { token: 't' }, bodyLimt: '1mb' }) as never,
          }),
        ],
      })
      class AppModule {}
      await expect(NestFactory.create(AppModule, { logger: false, abortOnError: false })).rejects.toThrow(
        'bodyLimt is not an option of FaceWebhooksModule: did you mean bodyLimit?',
      );
    });

    it('names a class tenant resolver the app does not provide, and where to provide it', async () => {
      @Injectable()
      class CustomerTable {
        find() {
          return null;
        }
      }
      @Injectable()
      class CustomerTenantResolver {
        constructor(private readonly table: CustomerTable) {}
        resolve() {
          return this.table.find();
        }
      }
      @Module({
        imports: [FaceWebhooksModule.forRoot({ faceio: { tenants: { resolve: CustomerTenantResolver } } })],
      })
      class AppModule {}
      const app = await NestFactory.create(AppModule, { logger: new CaptureLogger(), abortOnError: false });
      const boot = app.init().finally(() => app.close());
      await expect(boot).rejects.toThrow(FaceWebhooksConfigError);
      await expect(boot).rejects.toThrow(
        /faceio\.tenants\.resolve: CustomerTenantResolver is not a provider of the app[^]*provide CustomerTenantResolver in a module the app imports/,
      );
    });

    it('refuses a base path with route syntax in it', () => {
      expect(() => FaceWebhooksModule.forRoot({ basePath: 'hooks/:id', faceio: { token: 't' } })).toThrow(
        'basePath',
      );
    });
  });
});
