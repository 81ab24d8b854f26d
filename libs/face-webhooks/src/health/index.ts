// Health checks with @nestjs/terminus. A separate entry point, so apps without terminus load none of it.
export { FaceWebhooksHealthModule } from './face-webhooks-health.module.js';
export {
  FaceWebhooksHealthIndicator,
  type FaceWebhooksHealthOptions,
} from './face-webhooks.health-indicator.js';
