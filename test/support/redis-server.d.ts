export function ensureRedisServerBinary(): string;
export function freePort(): Promise<number>;
export class RedisServer {
  readonly port: number;
  readonly url: string;
  constructor(port: number, persistence?: string[]);
  static start(port?: number, persistence?: string[]): Promise<RedisServer>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
