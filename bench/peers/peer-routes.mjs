// What a Nest user would pick instead of nestjs-face-webhooks, as bench/server.mjs serves it. Each
// peer receives the same 600-byte JSON, signed for it by signPeerRequest (used by bench/run.mjs),
// verifies it and dispatches it to one no-op handler where the peer has handlers:
//   stripe            @golevelup/nestjs-stripe: its controller at POST /stripe/webhook, rawBody: true
//   standardwebhooks  a Nest route with rawBody: true verifying with `standardwebhooks`
//   octokit           @octokit/webhooks' Node middleware at /octokit, in front of Nest
// Installed with its own package.json (bench/run.mjs runs `npm ci` here), so the project's
// dependencies stay clean. Plain JS, decorators applied by hand.
import { createHmac, randomUUID } from 'node:crypto';
import { Controller, HttpCode, Injectable, Module, Post, Req, UnauthorizedException } from '@nestjs/common';
import { StripeModule, StripeWebhookHandler } from '@golevelup/nestjs-stripe';
import { Webhooks, createNodeMiddleware } from '@octokit/webhooks';
import { Webhook } from 'standardwebhooks';

export const PEER_SCENARIOS = ['stripe', 'standardwebhooks', 'octokit'];
export const PEER_ROUTES = {
  stripe: '/stripe/webhook',
  standardwebhooks: '/standardwebhooks',
  octokit: '/octokit',
};

const SECRETS = {
  stripe: 'whsec_bench_stripe_secret',
  // Standard Webhooks secrets are base64 after the prefix.
  standardwebhooks: `whsec_${Buffer.from('bench-standard-webhooks-secret!!').toString('base64')}`,
  octokit: 'bench-octokit-secret',
};

/** One event every peer can take: Stripe's `type`, GitHub's `action`; padded to exactly 600 bytes. */
export function peerBody(sequence) {
  const event = {
    id: `evt_${String(sequence).padStart(12, '0')}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    action: 'opened',
    livemode: false,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: { id: `pi_${sequence}`, object: 'payment_intent', amount: 2000, currency: 'usd', note: '' },
    },
  };
  const unpadded = JSON.stringify(event).length;
  event.data.object.note = 'x'.repeat(600 - unpadded);
  return JSON.stringify(event);
}

/** The headers and body a peer's sender would send. */
export function signPeerRequest(scenario, sequence) {
  const body = peerBody(sequence);
  const json = { 'content-type': 'application/json' };
  if (scenario === 'stripe') {
    const t = Math.floor(Date.now() / 1000);
    const v1 = createHmac('sha256', SECRETS.stripe).update(`${t}.${body}`).digest('hex');
    return { headers: { ...json, 'stripe-signature': `t=${t},v1=${v1}` }, body };
  }
  if (scenario === 'standardwebhooks') {
    const id = `msg_${sequence}`;
    const now = new Date();
    const signature = new Webhook(SECRETS.standardwebhooks).sign(id, now, body);
    const headers = {
      ...json,
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    return { headers, body };
  }
  const signature = `sha256=${createHmac('sha256', SECRETS.octokit).update(body).digest('hex')}`;
  const headers = {
    ...json,
    'x-github-event': 'issues',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': signature,
  };
  return { headers, body };
}

class StripeHandler {
  handle() {}
}
Injectable()(StripeHandler);
StripeWebhookHandler('payment_intent.succeeded')(
  StripeHandler.prototype,
  'handle',
  Object.getOwnPropertyDescriptor(StripeHandler.prototype, 'handle'),
);

class StandardWebhooksController {
  constructor() {
    this.webhook = new Webhook(SECRETS.standardwebhooks);
  }
  receive(request) {
    try {
      this.webhook.verify(request.rawBody, request.headers);
    } catch {
      throw new UnauthorizedException();
    }
    return { received: true };
  }
}
Controller('standardwebhooks')(StandardWebhooksController);
const receive = Object.getOwnPropertyDescriptor(StandardWebhooksController.prototype, 'receive');
Post()(StandardWebhooksController.prototype, 'receive', receive);
HttpCode(200)(StandardWebhooksController.prototype, 'receive', receive);
Req()(StandardWebhooksController.prototype, 'receive', 0);

/** The module of a peer scenario, and whether the app needs `rawBody: true`. */
export function peerModule(scenario) {
  class PeerModule {}
  if (scenario === 'stripe') {
    Module({
      imports: [
        StripeModule.forRoot({
          apiKey: 'sk_test_bench',
          webhookConfig: {
            stripeSecrets: { accountTest: SECRETS.stripe },
            requestBodyProperty: 'rawBody',
            loggingConfiguration: { logMatchingEventHandlers: false },
          },
        }),
      ],
      providers: [StripeHandler],
    })(PeerModule);
  } else if (scenario === 'standardwebhooks') {
    Module({ controllers: [StandardWebhooksController] })(PeerModule);
  } else {
    Module({})(PeerModule);
  }
  return { module: PeerModule, rawBody: scenario !== 'octokit' };
}

/** Mounts what a peer needs on the app before it starts (octokit: its middleware, ahead of Nest's parsers). */
export function preparePeerApp(scenario, app) {
  if (scenario !== 'octokit') return;
  const webhooks = new Webhooks({ secret: SECRETS.octokit });
  webhooks.on('issues.opened', () => {});
  app.use(
    createNodeMiddleware(webhooks, {
      path: '/octokit',
      log: { debug() {}, info() {}, warn() {}, error() {} },
    }),
  );
}
