import { plainToInstance, Type, TransformationType, type TransformFnParams } from 'class-transformer';
import { defaultMetadataStorage as storage } from 'class-transformer/cjs/storage.js';

/**
 * `plainToInstance(dto, plain)` for parsed JSON, with class-transformer's metadata lookups done once
 * per class and property instead of on every call (they were the largest single cost of a delivery).
 * It follows class-transformer 0.5's plain-to-class rules with default options: every own key is
 * copied, except `__proto__`, `constructor` and names the target already has as a method or getter;
 * `@Type` picks a nested object's class (and is called as class-transformer calls it); `@Transform`
 * functions run on the converted value; arrays and plain objects are copied deeply. Anything outside
 * those rules (`@Expose`, `@Exclude`, discriminators, `@Type(() => Date)` and other built-in
 * conversions, Map and Set properties) makes the whole conversion go to class-transformer itself.
 * Equivalence is checked by a property test against class-transformer (fast-hydration.spec.ts).
 */
export function toInstance<T extends object>(dto: new () => T, plain: Record<string, unknown>): T {
  return hydrateFast(dto, plain) ?? plainToInstance(dto, plain);
}

/** The fast path alone: `undefined` when the class or the value needs class-transformer itself. */
export function hydrateFast<T extends object>(
  dto: new () => T,
  plain: Record<string, unknown>,
): T | undefined {
  if (!metadataReadable) return undefined;
  try {
    return hydrate(plain, dto, undefined) as T;
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
}

type Constructor = new () => object;
type TransformFn = (params: TransformFnParams) => unknown;

interface PropertyRule {
  /** Whether the property has `@Type` metadata. */
  readonly typed: boolean;
  readonly typeFunction?: (options: { newObject: object; object: object; property: string }) => unknown;
  readonly reflectedType?: unknown;
  readonly transforms: readonly TransformFn[];
}

interface ClassPlan {
  readonly supported: boolean;
  readonly rules: Map<string, PropertyRule>;
}

const UNSUPPORTED = Symbol('unsupported by the fast path');
const NO_RULE: PropertyRule = { typed: false, transforms: [] };
/** Properties remembered per class: the DTO's own ones; beyond this, unknown keys are looked up each time. */
const MAX_RULES_PER_CLASS = 256;
/** What `@Transform` functions receive as `options`: class-transformer's defaults. */
const OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});
/** Conversions class-transformer does for these targets are left to it. */
const BUILT_IN_TARGETS = new Set<unknown>([String, Number, Boolean, Date, Buffer, Map, Set, Promise]);
const plans = new WeakMap<object, ClassPlan>();

/**
 * The metadata must be the very store the decorators write to (one copy of class-transformer, one
 * module instance). A probe class decorated here proves it; if not, every call takes the slow path.
 */
export const metadataReadable = (() => {
  class Probe {
    probe?: Probe;
  }
  Type(() => Probe)(Probe.prototype, 'probe');
  return storage.findTypeMetadata(Probe, 'probe') !== undefined;
})();

function planFor(target: Constructor): ClassPlan {
  let plan = plans.get(target);
  if (!plan) {
    const supported =
      storage.getStrategy(target) === 'none' &&
      storage.getExposedMetadatas(target).length === 0 &&
      storage.getExcludedMetadatas(target).length === 0;
    plans.set(target, (plan = { supported, rules: new Map() }));
  }
  return plan;
}

function ruleFor(target: Constructor, plan: ClassPlan, key: string): PropertyRule {
  const known = plan.rules.get(key);
  if (known) return known;
  const type = storage.findTypeMetadata(target, key);
  // A discriminator picks the class from the value; a Map property converts into a Map.
  if (type?.options?.discriminator || type?.reflectedType === Map) throw UNSUPPORTED;
  const transforms = storage
    .findTransformMetadatas(target, key, TransformationType.PLAIN_TO_CLASS)
    .filter((metadata) => !metadata.options?.groups?.length)
    .map((metadata) => metadata.transformFn);
  const rule: PropertyRule =
    type || transforms.length > 0
      ? {
          typed: type !== undefined,
          typeFunction: type?.typeFunction as PropertyRule['typeFunction'],
          reflectedType: type?.reflectedType,
          transforms,
        }
      : NO_RULE;
  if (plan.rules.size < MAX_RULES_PER_CLASS) plan.rules.set(key, rule);
  return rule;
}

function hydrate(value: unknown, target: Constructor | undefined, arrayType: unknown): unknown {
  if (Array.isArray(value)) {
    // class-transformer would construct the property's declared type to hold the items.
    if (arrayType !== undefined && arrayType !== Array) throw UNSUPPORTED;
    const copy: unknown[] = [];
    for (const item of value) copy.push(hydrate(item, target, undefined));
    return copy;
  }
  if (target !== undefined && BUILT_IN_TARGETS.has(target)) throw UNSUPPORTED;
  if (typeof value !== 'object' || value === null) return value;
  if (Object.getPrototypeOf(value) !== Object.prototype) throw UNSUPPORTED; // not parsed JSON

  const source = value as Record<string, unknown>;
  if (target === undefined) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(source)) {
      if (key === '__proto__' || key === 'constructor' || skipped(copy, Object.prototype, key)) continue;
      copy[key] = hydrate(source[key], undefined, undefined);
    }
    return copy;
  }

  const plan = planFor(target);
  if (!plan.supported) throw UNSUPPORTED;
  const instance = new target() as Record<string, unknown>;
  const prototype = target.prototype as object;
  for (const key of Object.keys(source)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const rule = ruleFor(target, plan, key);
    const item = source[key];
    let type: unknown;
    if (rule.typed) {
      type = rule.typeFunction
        ? rule.typeFunction({ newObject: instance, object: source, property: key })
        : rule.reflectedType;
    }
    if (skipped(instance, prototype, key)) continue;
    let converted = hydrate(
      item,
      type as Constructor | undefined,
      Array.isArray(item) ? rule.reflectedType : undefined,
    );
    for (const transform of rule.transforms) {
      converted = transform({
        value: converted,
        key,
        obj: source,
        type: TransformationType.PLAIN_TO_CLASS,
        options: OPTIONS,
      });
    }
    instance[key] = converted;
  }
  return instance;
}

/** class-transformer does not overwrite a method, or a property with a getter and no setter. */
function skipped(object: object, prototype: object, key: string): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, key);
  return (
    (descriptor !== undefined && !descriptor.set) ||
    (object as Record<string, unknown>)[key] instanceof Function
  );
}
