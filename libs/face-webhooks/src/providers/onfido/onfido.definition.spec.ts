import { jest } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { validateDto } from '../../pipeline/body/dto-validation.js';
import type { FaceEventOf, FaceEventTypesMatching } from '../../contracts/face-event-map.js';
import { OnFaceEvent } from '../../contracts/on-face-event.decorator.js';
import {
  OnfidoCheckEventDto,
  OnfidoReportEventDto,
  OnfidoWebhookEventDto,
  OnfidoWorkflowRunEventDto,
  OnfidoWorkflowTaskEventDto,
} from './onfido-event.dto.js';
import { onfidoProviderDefinition } from './onfido.definition.js';
import { ONFIDO_EVENT_TYPES } from './onfido.event-types.js';
import './onfido.events.js';
import { onfidoFixture } from './onfido.fixtures.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

const provider = onfidoProviderDefinition.create({ secret: 'token' });
type Json = Record<string, unknown>;
const validate = (body: object) =>
  validateDto(provider.selectDto!(body as Json), JSON.parse(JSON.stringify(body)) as Json);
const messages = (body: object): string[] => {
  try {
    validate(body);
  } catch (error) {
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('the body validated');
};
/** The object at a dotted path of a body, to change it. */
const at = (body: object, path: string): Json =>
  path.split('.').reduce<Json>((object, key) => object[key] as Json, body as Json);
const NOW = new Date('2026-03-16T19:35:16Z');
const authorize = (body: object, now = NOW.getTime(), instance = provider) => {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(now);
  try {
    return instance.authorize!(validate(body), { ok: true });
  } finally {
    spy.mockRestore();
  }
};

describe('Onfido bodies', () => {
  it.each(ONFIDO_EVENT_TYPES.map((type) => [type]))('validates and describes a %s fixture', (type) => {
    const body = onfidoFixture(type, NOW);
    const data = validate(body);
    const dto = {
      check: OnfidoCheckEventDto,
      report: OnfidoReportEventDto,
      workflow_run: OnfidoWorkflowRunEventDto,
      workflow_task: OnfidoWorkflowTaskEventDto,
    }[type.split('.')[0]!];
    expect(data).toBeInstanceOf(dto);
    const object = body.payload.object;
    expect(provider.describe(data, Buffer.alloc(0))).toEqual({
      type,
      id: `${type}:${object.id}:2026-03-16T19:35:16Z:${object.status}`,
      occurredAt: NOW,
    });
  });

  it("validates the bodies of Onfido's published examples (onfido-node tests)", () => {
    const classic = {
      payload: {
        resource_type: 'check',
        action: 'check.completed',
        object: {
          id: 'check-123',
          status: 'complete',
          completed_at_iso8601: '2020-01-01T00:00:00Z',
          href: 'https://api.onfido.com/v3/checks/check-123',
        },
      },
    };
    const data = validate(classic) as OnfidoCheckEventDto;
    expect(data).toBeInstanceOf(OnfidoCheckEventDto);
    expect(provider.describe(data, Buffer.alloc(0))).toEqual({
      type: 'check.completed',
      id: 'check.completed:check-123:2020-01-01T00:00:00Z:complete',
      occurredAt: new Date('2020-01-01T00:00:00Z'),
    });
    const studio = {
      payload: {
        resource_type: 'workflow_task',
        action: 'workflow_task.started',
        object: {
          id: 'profile_1eb92',
          task_spec_id: 'profile_1eb92',
          task_def_id: 'profile_data',
          workflow_run_id: 'bc77c6e5-753a-4580-96a6-aaed3e5a8d19',
          status: 'started',
          started_at_iso8601: '2024-07-10T12:49:09Z',
          href: 'https://api.eu.onfido.com/v3.6/workflow_runs/bc77c6e5-753a-4580-96a6-aaed3e5a8d19/tasks/profile_1eb92',
        },
        resource: { id: 'profile_1eb92', input: {}, task_def_version: null, output: null },
      },
    };
    const task = validate(studio) as OnfidoWorkflowTaskEventDto;
    expect(task.payload.object.workflow_run_id).toBe('bc77c6e5-753a-4580-96a6-aaed3e5a8d19');
    expect(provider.describe(task, Buffer.alloc(0)).occurredAt).toEqual(new Date('2024-07-10T12:49:09Z'));
  });

  it('tells genuinely different events apart, and keys a body without object by its hash', () => {
    const first = onfidoFixture('check.completed', NOW);
    const again = JSON.parse(JSON.stringify(first)) as typeof first;
    again.payload.object.completed_at_iso8601 = '2026-03-17T08:00:00Z';
    const id = (body: object, raw = '') => provider.describe(validate(body), Buffer.from(raw)).id;
    expect(id(first)).not.toBe(id(again));
    expect(id(first)).toBe(id(JSON.parse(JSON.stringify(first)) as object));
    const bare = { payload: { resource_type: 'audit_log', action: 'audit_log.created' } };
    expect(id(bare, JSON.stringify(bare))).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(id(bare, JSON.stringify(bare))).not.toBe(id(bare, `${JSON.stringify(bare)} `));
  });

  it('keeps unknown fields and accepts unknown events with the generic envelope', () => {
    const body = onfidoFixture('watchlist_monitor.matches_updated', NOW);
    at(body, 'payload.object')['brand_new_field'] = { anything: [1, 2] };
    at(body, 'payload')['another'] = true;
    const data = validate(body);
    expect(data).toBeInstanceOf(OnfidoWebhookEventDto);
    expect(provider.describe(data, Buffer.alloc(0)).type).toBe('watchlist_monitor.matches_updated');
    expect(at(data, 'payload.object')['brand_new_field']).toEqual({ anything: [1, 2] });
    const typed = onfidoFixture('workflow_run.completed', NOW);
    at(typed, 'payload.resource')['new_output'] = { score: 0.9 };
    at(typed, 'payload.object')['new_field'] = 'x';
    expect(validate(typed)).toBeInstanceOf(OnfidoWorkflowRunEventDto);
  });

  it.each([
    ['no payload', (b: object) => delete (b as Json).payload, 'payload must be an object'],
    ['a missing action', (b: object) => delete at(b, 'payload').action, 'payload.action must be'],
    [
      'a malformed action',
      (b: object) => (at(b, 'payload').action = 'check completed'),
      'payload.action must be',
    ],
    [
      'a resource_type of another family',
      (b: object) => (at(b, 'payload').resource_type = 'report'),
      'payload.resource_type must be one of',
    ],
    ['no object', (b: object) => delete at(b, 'payload').object, 'payload.object must be an object'],
    ['a missing object id', (b: object) => delete at(b, 'payload.object').id, 'payload.object.id must be'],
    ['a numeric object id', (b: object) => (at(b, 'payload.object').id = 42), 'payload.object.id must be'],
    [
      'an object id with a slash',
      (b: object) => (at(b, 'payload.object').id = '../admin'),
      'payload.object.id must be an Onfido id',
    ],
    [
      'an upper-case status',
      (b: object) => (at(b, 'payload.object').status = 'COMPLETE'),
      'payload.object.status must be a lower-case status',
    ],
    [
      'an unreadable completed_at_iso8601',
      (b: object) => (at(b, 'payload.object').completed_at_iso8601 = '2026-02-30T00:00:00Z'),
      'payload.object.completed_at_iso8601',
    ],
    [
      'a completed_at_iso8601 that is no time',
      (b: object) => (at(b, 'payload.object').completed_at_iso8601 = 'yesterday'),
      'payload.object.completed_at_iso8601',
    ],
    [
      'an http href',
      (b: object) => (at(b, 'payload.object').href = 'http://api.onfido.com/v3.6/checks/1'),
      'payload.object.href must be an https URL',
    ],
  ])('refuses a check event with %s, naming the field', (_name, change, message) => {
    const body = onfidoFixture('check.completed');
    change(body);
    expect(messages(body).join('\n')).toContain(message);
  });

  it.each([
    [
      'a numeric customer_user_id',
      (b: object) => (at(b, 'payload.resource').customer_user_id = 7),
      'payload.resource.customer_user_id must be a string',
    ],
    [
      'tags that are not strings',
      (b: object) => (at(b, 'payload.resource').tags = [1]),
      'payload.resource.tags must be a list of strings',
    ],
    ['a resource that is a list', (b: object) => (at(b, 'payload').resource = []), 'payload.resource'],
  ])('refuses a workflow_run event with %s, naming the field', (_name, change, message) => {
    const body = onfidoFixture('workflow_run.completed');
    change(body);
    expect(messages(body).join('\n')).toContain(message);
  });

  it('refuses an untyped event whose names or object are malformed', () => {
    const body = onfidoFixture('audit_log.created');
    at(body, 'payload').resource_type = 'Audit Log';
    at(body, 'payload.object').id = '';
    const found = messages(body).join('\n');
    expect(found).toContain('payload.resource_type must be');
    expect(found).toContain('payload.object.id must be');
  });

  it('types every event, and a pattern that matches none does not compile', () => {
    assertType<Equal<FaceEventOf<'onfido.check.completed'>['data'], OnfidoCheckEventDto>>();
    assertType<Equal<FaceEventOf<'onfido.report.*'>['data'], OnfidoReportEventDto>>();
    assertType<Equal<FaceEventOf<'onfido.workflow_run.completed'>['data'], OnfidoWorkflowRunEventDto>>();
    assertType<Equal<FaceEventTypesMatching<'onfido.**'>, `onfido.${(typeof ONFIDO_EVENT_TYPES)[number]}`>>();
    class Wrong {
      // @ts-expect-error: Onfido's event is check.completed, not check.complete
      @OnFaceEvent('onfido.check.complete')
      on(): void {}
    }
    expect(Wrong).toBeDefined();
    expect(ONFIDO_EVENT_TYPES).toHaveLength(13);
  });
});

describe('Onfido event age (the replay defence without a signed time)', () => {
  const aged = (seconds: number, type = 'check.completed') =>
    onfidoFixture(type, new Date(NOW.getTime() - seconds * 1000));

  it('accepts an event up to maxEventAgeSeconds old, fresh until it reaches that age', () => {
    const week = 7 * 24 * 3600;
    expect(authorize(aged(0))).toEqual({ ok: true, freshUntilMs: NOW.getTime() + week * 1000 });
    expect(authorize(aged(week))).toEqual({ ok: true, freshUntilMs: NOW.getTime() });
    expect(authorize(aged(-300))).toMatchObject({ ok: true });
  });

  it('refuses an older one, or one more than 300 s ahead', () => {
    expect(authorize(aged(7 * 24 * 3600 + 1))).toMatchObject({ ok: false, code: 'event_too_old' });
    expect(authorize(aged(-301))).toMatchObject({ ok: false, code: 'event_too_old' });
  });

  it('uses started_at_iso8601 when there is no completion time, and a configured age', () => {
    const short = onfidoProviderDefinition.create({ secret: 'token', maxEventAgeSeconds: 60 });
    expect(authorize(aged(61, 'workflow_task.started'), NOW.getTime(), short)).toMatchObject({
      ok: false,
      code: 'event_too_old',
    });
    expect(authorize(aged(59, 'check.started'), NOW.getTime(), short)).toEqual({
      ok: true,
      freshUntilMs: NOW.getTime() + 1000,
    });
  });

  it('accepts an event without any time, unless refuseUntimedEvents is on', () => {
    const untimed = aged(0, 'check.started');
    delete untimed.payload.object.started_at_iso8601;
    untimed.payload.object.completed_at_iso8601 = null;
    expect(authorize(untimed)).toEqual({ ok: true });
    const strict = onfidoProviderDefinition.create({ secret: 'token', refuseUntimedEvents: true });
    expect(authorize(untimed, NOW.getTime(), strict)).toMatchObject({ ok: false, code: 'event_too_old' });
    expect(authorize(aged(0), NOW.getTime(), strict)).toMatchObject({ ok: true });
  });
});

describe('Onfido options', () => {
  const check = onfidoProviderDefinition.validateOptions.bind(onfidoProviderDefinition);

  it('need a token, and take a list of them', () => {
    expect(check({}, true)).toEqual([expect.stringContaining('onfido.secret is required')]);
    expect(check({}, false)).toEqual([]);
    expect(check({ secret: ['a', ' '] }, true)).toHaveLength(1);
    expect(check({ secret: ['a', 'b'] }, true)).toEqual([]);
  });

  it('keep maxEventAgeSeconds a positive whole number, within deduplicationTtlMs', () => {
    expect(check({ secret: 'a', maxEventAgeSeconds: 0 }, true)).toEqual([
      'onfido.maxEventAgeSeconds must be a positive whole number of seconds',
    ]);
    expect(check({ secret: 'a', maxEventAgeSeconds: 1.5 }, true)).toHaveLength(1);
    expect(check({ secret: 'a', maxEventAgeSeconds: 3600, deduplicationTtlMs: 3_600_000 }, true)).toEqual([]);
    expect(check({ secret: 'a', maxEventAgeSeconds: 3601, deduplicationTtlMs: 3_600_000 }, true)).toEqual([
      expect.stringContaining('onfido.maxEventAgeSeconds (3601) must not exceed onfido.deduplicationTtlMs'),
    ]);
    // The default age (7 days) with a shorter record is refused too, naming the default.
    expect(check({ secret: 'a', deduplicationTtlMs: 86_400_000 }, true)).toEqual([
      expect.stringContaining('(604800, the default)'),
    ]);
    expect(check({ secret: 'a', refuseUntimedEvents: 'yes' as never }, true)).toEqual([
      'onfido.refuseUntimedEvents must be true or false',
    ]);
  });

  it('default to a record as long as the accepted age', () => {
    expect(provider.deduplicationTtlMs).toBe(7 * 24 * 3600 * 1000);
  });
});
