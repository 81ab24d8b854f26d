import type {
  CommonProviderOptions,
  DefinedFaceWebhookProvider,
  SignedWebhookRequest,
} from 'nestjs-face-webhooks';

export interface AcmeScanOptions extends CommonProviderOptions {
  readonly secret?: string | readonly string[];
  readonly toleranceSeconds?: number;
}
export declare class AcmeScanResult {
  subject: string;
  similarity: number;
}
export declare class AcmeScanEvent {
  id: string;
  kind: 'scan.completed' | 'scan.rejected';
  result: AcmeScanResult;
}
export declare const ACME_TYPES: readonly string[];
export declare function acmeSignature(
  secret: string,
  timestamp: number | string,
  body: string | Buffer,
): string;
export declare function signAcme(secret: string, body: string, timestamp?: number): SignedWebhookRequest;
export declare const acmeScanProvider: DefinedFaceWebhookProvider<
  'acme-scan',
  AcmeScanOptions,
  AcmeScanEvent
>;
