import type { FaceWebhookProviderDefinition } from '../../contracts/face-webhook-provider.interface.js';

// @nestjs/swagger is an optional peer: when the app has it, the webhook route is documented.
let swagger: typeof import('@nestjs/swagger') | undefined;
try {
  swagger = await import('@nestjs/swagger');
} catch {
  swagger = undefined;
}

/** Documents both webhook routes of the module's controller for the enabled providers. */
export function documentWebhookRoutes(
  controller: { prototype: object },
  definitions: readonly FaceWebhookProviderDefinition<string, never, object>[],
): void {
  documentWebhookRoute(controller, 'receive', definitions);
  const tenanted = definitions.filter((definition) => (definition.tenantSettings?.length ?? 0) > 0);
  if (tenanted.length > 0) documentWebhookRoute(controller, 'receiveForTenant', tenanted, true);
}

/**
 * Adds the webhook route to the app's OpenAPI document: the provider path parameter, each
 * provider's credential headers, a body that is one of the providers' schemas, and every response
 * of the error contract. Does nothing without @nestjs/swagger.
 */
function documentWebhookRoute(
  controller: { prototype: object },
  method: string,
  definitions: readonly FaceWebhookProviderDefinition<string, never, object>[],
  tenanted = false,
): void {
  if (!swagger) return;
  const { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } = swagger;
  const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, method)!;
  const decorate = (decorator: MethodDecorator) => decorator(controller.prototype, method, descriptor);
  ApiTags('face-webhooks')(controller as never);
  decorate(
    ApiOperation({
      summary: tenanted
        ? 'Receive a face-biometric webhook for one tenant'
        : 'Receive a face-biometric webhook',
      description: tenanted
        ? 'For providers configured with `tenants`: authenticated with that tenant’s settings. An unknown tenant and a failed authentication get the same 404.'
        : 'Authenticated with the provider’s scheme, validated, de-duplicated, then handled (200) or queued (202).',
    }),
  );
  decorate(ApiParam({ name: 'provider', enum: definitions.map((definition) => definition.name) }));
  if (tenanted) decorate(ApiParam({ name: 'tenant', description: 'The tenant id your lookup knows' }));
  for (const header of definitions.flatMap((definition) => definition.openApi.headers)) {
    decorate(ApiHeader({ name: header.name, description: header.description, required: false }));
  }
  decorate(ApiBody({ schema: { oneOf: definitions.map((definition) => definition.openApi.bodySchema) } }));
  const ack = {
    type: 'object',
    properties: {
      received: { type: 'boolean' },
      duplicate: { type: 'boolean' },
      queued: { type: 'boolean' },
    },
  };
  const responses: [number, string][] = [
    [200, 'Handled, or a duplicate of an event already handled'],
    [202, 'Queued for a worker (queued delivery)'],
    [400, 'Body is not UTF-8 JSON or fails validation; the message names each field'],
    ...(tenanted
      ? [[404, 'No such tenant, or authentication failed (told apart only in your logs)'] as [number, string]]
      : ([
          [401, 'Authentication failed'],
          [404, 'Provider not enabled'],
        ] as [number, string][])),
    [408, 'Body not received within bodyTimeoutMs'],
    [413, 'Body over the limit'],
    [415, 'Compressed body'],
    [500, 'A handler failed; the provider should retry'],
    [503, 'Retry later (the same event in flight, Redis unreachable, or shutting down); has Retry-After'],
  ];
  for (const [status, description] of responses) {
    decorate(ApiResponse({ status, description, ...(status < 300 ? { schema: ack } : {}) }));
  }
}
