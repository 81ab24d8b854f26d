import { Inject, Injectable } from '@nestjs/common';
import { FACE_WEBHOOK_PROVIDERS } from '../contracts/face-webhooks.tokens.js';
import type { FaceWebhookProvider } from '../contracts/face-webhook-provider.interface.js';

/** The providers enabled by the module's options, by route name. */
@Injectable()
export class FaceWebhookProviderRegistry {
  private readonly byName: ReadonlyMap<string, FaceWebhookProvider>;

  constructor(@Inject(FACE_WEBHOOK_PROVIDERS) providers: readonly FaceWebhookProvider[]) {
    this.byName = new Map(providers.map((provider) => [provider.name, provider]));
  }

  get(name: string): FaceWebhookProvider | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }
}
