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
export class RedisCluster {
  readonly nodes: { host: string; port: number }[];
  readonly spec: string;
  static start(options?: { appendOnly?: boolean }): Promise<RedisCluster>;
  waitUntilHealthy(timeoutMs?: number): Promise<void>;
  restart(index: number, downMs?: number): Promise<void>;
  stop(): Promise<void>;
}
