import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { FaceEventQueue } from '../contracts/face-event-queue.interface.js';
import { bullMqConnection } from '../redis/redis-connection.js';
import { BullMqFaceEventQueue } from './bullmq-face-event.queue.js';
import { FaceEventWorker } from './face-event.worker.js';
import { FaceEventQueueGauges } from './face-event-queue.gauges.js';
import {
  FACE_EVENT_QUEUE_SETTINGS,
  FACE_EVENTS_QUEUE,
  type FaceEventQueueSettings,
} from './face-event-queue.settings.js';
import { FailedFaceEvents } from './failed-face-events.service.js';

/**
 * Queued delivery on BullMQ, through @nestjs/bullmq. Loaded only when the module's `queue` extra is
 * on, so apps that stay inline need neither Redis nor these packages.
 */
@Module({})
export class FaceEventQueueModule {
  static register(): DynamicModule {
    return {
      module: FaceEventQueueModule,
      // Global like FaceWebhooksModule, so FailedFaceEvents and the queue (health checks) can be
      // injected in any module of the app.
      global: true,
      imports: [
        BullModule.registerQueueAsync({
          name: FACE_EVENTS_QUEUE,
          inject: [FACE_EVENT_QUEUE_SETTINGS],
          useFactory: async (settings: FaceEventQueueSettings) => ({
            // Fail fast while Redis is down, so the delivery gets a 503 instead of hanging. On a
            // cluster this is a client BullMqFaceEventQueue closes at shutdown.
            connection: (await bullMqConnection(settings.connection, {
              enableOfflineQueue: false,
              maxRetriesPerRequest: 1,
            })) as ConnectionOptions,
            prefix: settings.prefix,
          }),
        }),
      ],
      providers: [
        { provide: FaceEventQueue, useClass: BullMqFaceEventQueue },
        FaceEventWorker,
        FailedFaceEvents,
        FaceEventQueueGauges,
      ],
      exports: [FaceEventQueue, FailedFaceEvents],
    };
  }
}
