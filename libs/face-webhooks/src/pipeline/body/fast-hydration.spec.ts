import { Exclude, Expose, plainToInstance, Transform, Type } from 'class-transformer';
import fc from 'fast-check';
import { FaceioWebhookEventDto } from '../../providers/faceio/faceio-event.dto.js';
import { faceioFixture } from '../../providers/faceio/faceio.fixtures.js';
import { FaceSignWebhookEventDto } from '../../providers/facesign/facesign-event.dto.js';
import { faceSignFixture } from '../../providers/facesign/facesign.fixtures.js';
import {
  IdaasFaceBiometricCreatedEventDto,
  IdaasWebhookEventDto,
} from '../../providers/idaas/idaas-event.dto.js';
import { idaasFixture } from '../../providers/idaas/idaas.fixtures.js';
import { hydrateFast, metadataReadable, toInstance } from './fast-hydration.js';

// toInstance must build exactly what plainToInstance builds: the same classes at every level, the
// same own keys in the same order, the same values. Checked on the providers' DTOs with changed
// fixtures, and on classes using every class-transformer feature, with keys chosen to hit its edge
// rules (prototype names, __proto__). Bodies with a `constructor` key never get here: the JSON
// reader refuses them, since class-transformer would call a nested one as a class.

/** A value's full shape: class at every level, own keys in order (enumerable or not), values. */
function shape(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return { primitive: value };
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return {
    class: prototype === null ? null : prototype.constructor?.name,
    array: Array.isArray(value),
    entries: Reflect.ownKeys(value).map((key) => [
      String(key),
      shape((value as Record<string | symbol, unknown>)[key]),
    ]),
  };
}

class Item {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  name?: string;
}

class Base {
  @Type(() => Item)
  inherited?: Item;
}

class Kitchen extends Base {
  defaulted = 'initial';

  @Type(() => Item)
  item?: Item;

  @Type(() => Item)
  items?: Item[];

  @Transform(({ value, key, obj }) => `${key}:${String(value)}:${Object.keys(obj as object).length}`)
  described?: string;

  @Transform(({ value }) => `plain-only ${String(value)}`, { toPlainOnly: true })
  plainOnly?: string;

  @Transform(({ value }) => `grouped ${String(value)}`, { groups: ['admin'] })
  grouped?: string;

  @Type((options) => ((options?.object as Record<string, unknown>).kind === 'item' ? Item : Base))
  chosen?: Item | Base;

  payload?: unknown;

  get readOnly(): string {
    return 'computed';
  }

  get readWrite(): string {
    return 'rw';
  }
  set readWrite(value: string) {
    Object.defineProperty(this, 'readWriteSet', { value, enumerable: true });
  }

  method(): string {
    return 'method';
  }
}

// Classes the fast path hands to class-transformer: the results must still be the same.
class Exposed {
  @Expose({ name: 'outside' })
  inside?: string;
}
@Exclude()
class ExcludedAll {
  @Expose()
  kept?: string;
}
class WithDate {
  @Type(() => Date)
  at?: Date;
}
class Animal {
  kind?: string;
}
class Zoo {
  @Type(() => Animal, {
    discriminator: { property: 'kind', subTypes: [{ value: Item, name: 'item' }] },
    keepDiscriminatorProperty: true,
  })
  animal?: Animal;
}
class Holder {
  @Type(() => Kitchen)
  kitchen?: Kitchen;
  @Type(() => Exposed)
  exposed?: Exposed;
}

const EDGE_KEYS = [
  'item',
  'items',
  'inherited',
  'described',
  'plainOnly',
  'grouped',
  'chosen',
  'kind',
  'payload',
  'defaulted',
  'readOnly',
  'readWrite',
  'method',
  'name',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__proto__',
  'kitchen',
  'exposed',
  'outside',
  'inside',
  'kept',
  'at',
  'animal',
  'x',
];

/** JSON text built from the edge keys, parsed as a request body is (so `__proto__` is an own key). */
const body = fc
  .letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom('  padded  ', '2026-11-24T00:00:00Z', 'item', 'base'),
      fc.array(tie('value'), { maxLength: 3 }),
      tie('object'),
    ),
    object: fc.dictionary(fc.constantFrom(...EDGE_KEYS), tie('value'), { maxKeys: 6 }),
  }))
  .object.map((object) => JSON.parse(JSON.stringify(object)) as Record<string, unknown>);

const withProtoKey = (object: Record<string, unknown>) => {
  const rest = JSON.stringify(object).slice(1);
  return JSON.parse(`{"__proto__":{"polluted":1}${rest === '}' ? '' : ','}${rest}`) as Record<
    string,
    unknown
  >;
};

/** The shape built, or the kind of error thrown (class-transformer throws on some inputs, e.g. `new Date({toString: []})`). */
const outcome = (build: () => unknown) => {
  try {
    return shape(build());
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
};

/** JSON's own copy (structuredClone would make objects of another realm under jest). */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * toInstance builds what plainToInstance builds (or throws the same kind of error). `fast`: the
 * fast path itself handled it, so the comparison is not class-transformer against itself.
 */
/**
 * Whether an array sits, at any depth, under a key that is a `@Type` slot of the test classes: the
 * fast path leaves those to class-transformer (which constructs the declared type to hold them).
 * It over-approximates (a plain object's key of the same name counts), which only skips a check.
 */
const TYPED_SLOTS = new Set([
  'item',
  'inherited',
  'chosen',
  'kitchen',
  'exposed',
  'details',
  'media',
  'data',
]);
function arrayInTypedSlot(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, item]) => (TYPED_SLOTS.has(key) && Array.isArray(item)) || arrayInTypedSlot(item),
  );
}

const same = (dto: new () => object, plain: Record<string, unknown>, fast: boolean) => {
  expect(outcome(() => toInstance(dto, copy(plain)))).toEqual(
    outcome(() => plainToInstance(dto, copy(plain))),
  );
  if (fast) expect(outcome(() => hydrateFast(dto, copy(plain)))).not.toEqual({ primitive: undefined });
};

describe('toInstance', () => {
  it('reads the metadata the decorators wrote (else every call would go to class-transformer)', () => {
    expect(metadataReadable).toBe(true);
  });

  it.each([
    ['FACEIO', FaceioWebhookEventDto, () => faceioFixture('ENROLL')],
    ['FaceSign media', FaceSignWebhookEventDto, () => faceSignFixture('media.user_photo')],
    ['FaceSign status', FaceSignWebhookEventDto, () => faceSignFixture('session.status')],
    ['IDaaS envelope', IdaasWebhookEventDto, () => idaasFixture('user.created')],
    ['IDaaS face', IdaasFaceBiometricCreatedEventDto, () => idaasFixture('face.biometric.created')],
  ] as const)(
    'builds what plainToInstance builds from %s bodies, changed at random',
    (_name, dto, fixture) => {
      const dtoClass = dto as new () => object;
      same(dtoClass, fixture() as unknown as Record<string, unknown>, true);
      fc.assert(
        fc.property(body, fc.boolean(), (extra, protoKey) => {
          const plain = { ...(fixture() as unknown as Record<string, unknown>), ...extra };
          for (const key of ['details', 'media', 'data']) {
            if (extra[key] === undefined) continue;
            plain[key] = extra[key]; // nested DTO slots get arbitrary values too
          }
          same(dtoClass, protoKey ? withProtoKey(plain) : plain, !arrayInTypedSlot(plain));
        }),
        { numRuns: 400 },
      );
    },
  );

  it.each([
    ['every supported feature', Kitchen, true],
    ['@Expose', Exposed, false],
    ['@Exclude', ExcludedAll, false],
    ['@Type(() => Date)', WithDate, false],
    ['a discriminator', Zoo, false],
  ] as const)('builds what plainToInstance builds for a class with %s', (_name, dto, fast) => {
    fc.assert(
      fc.property(body, fc.boolean(), (plain, protoKey) => {
        same(dto, protoKey ? withProtoKey(plain) : plain, fast && !arrayInTypedSlot(plain));
      }),
      { numRuns: 1000 },
    );
    const decorated = { inside: 'a', outside: 'b', kept: 'c', at: '2026-11-24', animal: { kind: 'item' } };
    if (!fast) expect(hydrateFast(dto as new () => object, decorated)).toBeUndefined();
  });

  it('builds what plainToInstance builds when a supported class holds an unsupported one', () => {
    fc.assert(
      fc.property(body, body, (kitchen, exposed) => {
        same(Holder, { kitchen, exposed }, false);
        same(Holder, { kitchen }, !arrayInTypedSlot(kitchen));
      }),
      { numRuns: 500 },
    );
  });

  it('never pollutes Object.prototype', () => {
    toInstance(Kitchen, withProtoKey({ item: withProtoKey({ name: 'x' }) }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
