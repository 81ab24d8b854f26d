import { MemoryDeliveryLog } from './memory-delivery-log.js';

const note = (id: string, outcome: 'accepted' | 'failed' | 'rejected' = 'accepted') => ({
  provider: 'faceio',
  type: 'faceio.AUTH',
  id,
  outcome,
  durationMs: 1,
  ...(outcome === 'failed' ? { raw: Buffer.from(id) } : {}),
});

describe('MemoryDeliveryLog', () => {
  it('keeps the newest maxEntries records, newest first, and forgets the bodies of dropped ones', async () => {
    const log = new MemoryDeliveryLog(3);
    log.record(note('a', 'failed'));
    for (const id of ['b', 'c', 'd', 'e', 'f', 'g']) log.record(note(id));
    expect((await log.recent()).map((record) => record.id)).toEqual(['g', 'f', 'e']);
    expect(await log.rawOf('1')).toBeUndefined();
    expect(await log.failed()).toEqual([]);
  });

  it('lists a failed delivery as replayable until a later delivery of the event settles', async () => {
    const log = new MemoryDeliveryLog(10);
    log.record(note('x', 'failed'));
    expect((await log.failed()).map((record) => record.id)).toEqual(['x']);
    expect(await log.rawOf('1')).toEqual({ provider: 'faceio', id: 'x', raw: Buffer.from('x') });
    log.record(note('x'));
    expect(await log.failed()).toEqual([]);
  });

  it('stays bounded under a flood: no more than maxEntries records are read or kept past 2x', async () => {
    const log = new MemoryDeliveryLog(1_000);
    for (let i = 0; i < 100_000; i++) log.record(note(`e${i}`, i % 10 === 0 ? 'failed' : 'rejected'));
    expect(await log.recent(5_000)).toHaveLength(1_000);
    expect((await log.recent(1))[0]!.id).toBe('e99999');
    expect((log as unknown as { records: unknown[] }).records.length).toBeLessThan(2_000);
    expect((log as unknown as { raws: Map<string, unknown> }).raws.size).toBeLessThanOrEqual(100);
  });
});
