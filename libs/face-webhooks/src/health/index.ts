/**
 * A health indicator for `@nestjs/terminus`: the de-duplication store reachable and, with queued
 * delivery, the queue reachable and its failed set under your threshold. A separate entry point,
 * so apps without terminus load none of it.
 *
 * @packageDocumentation
 * @module nestjs-face-webhooks/health
 */
export { FaceWebhooksHealthModule } from './face-webhooks-health.module.js';
export {
  FaceWebhooksHealthIndicator,
  type FaceWebhooksHealthOptions,
} from './face-webhooks.health-indicator.js';
