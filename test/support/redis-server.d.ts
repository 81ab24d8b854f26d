export function ensureRedisServerBinary(): string;
export function freePort(): Promise<number>;
export class RedisServer {
  readonly port: number;
  readonly url: string;
  static start(port?: number): Promise<RedisServer>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
