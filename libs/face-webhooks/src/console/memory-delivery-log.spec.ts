import { maskHeaders, replayContext } from './face-delivery-log.js';
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

describe('MemoryDeliveryLog, second pass', () => {
  it('pages with a cursor over every record, and filters', async () => {
    const log = new MemoryDeliveryLog(100);
    for (let i = 0; i < 25; i++) log.record(note(`p${i}`, i % 5 === 0 ? 'rejected' : 'accepted'));
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await log.page({}, 10, before);
      expect(page.total).toBe(25);
      seen.push(...page.deliveries.map((row) => row.id!));
      before = page.next;
    } while (before);
    expect(seen).toHaveLength(25);
    expect(seen[0]).toBe('p24');
    expect(new Set(seen).size).toBe(25);
    expect((await log.page({ outcome: 'rejected' })).total).toBe(5);
    expect((await log.page({ provider: 'other' })).total).toBe(0);
    expect((await log.page({ q: 'p13' })).deliveries.map((row) => row.id)).toEqual(['p13']);
  });

  it('records a replay as an attempt of its delivery, not a delivery', async () => {
    const log = new MemoryDeliveryLog(10);
    log.record(note('r', 'failed'));
    replayContext.run({ of: '1', by: 'admin' }, () => log.record(note('r')));
    const { deliveries, total } = await log.page({});
    expect(total).toBe(1);
    expect(deliveries[0]).toMatchObject({
      seq: '1',
      attempts: 2,
      outcome: 'failed',
      lastOutcome: 'accepted',
    });
    const detail = await log.detail('1');
    expect(detail!.attempts.map((a) => [a.outcome, a.replayedBy])).toEqual([
      ['failed', undefined],
      ['accepted', 'admin'],
    ]);
    expect(await log.failed()).toEqual([]);
  });

  it('masks credential headers and keeps the others', () => {
    expect(
      maskHeaders({
        authorization: 'Bearer abc',
        'x-signature': 'sha256=1234',
        'x-api-key': 'k',
        'content-type': 'application/json',
        'x-custom': 'Basic dXNlcjpwdw==',
      }),
    ).toEqual({
      authorization: '•••• masked (10 characters)',
      'x-signature': '•••• masked (11 characters)',
      'x-api-key': '•••• masked (1 character)',
      'content-type': 'application/json',
      'x-custom': '•••• masked (18 characters)',
    });
  });
});
