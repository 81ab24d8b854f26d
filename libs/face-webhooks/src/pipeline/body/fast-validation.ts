import {
  getMetadataStorage,
  IS_ISO8601,
  IS_URL,
  MATCHES,
  MAX_LENGTH,
  ValidationTypes,
  type ValidationArguments,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';

/**
 * A cached plan of a DTO class's class-validator rules, so that the common case (a valid body)
 * costs a few constraint calls instead of a full class-validator run. It only answers "valid":
 * anything it is unsure of, and every invalid body, goes to class-validator itself, which gives the
 * error messages. The rules, the constraint objects and their validate() are class-validator's own;
 * only the lookups it repeats on every call are done once here. Equivalence with validateSync is
 * checked by a property test (fast-validation.spec.ts).
 */
interface ConstraintCheck {
  readonly metadata: ValidationMetadata;
  readonly validators: readonly { validate(value: unknown, args: ValidationArguments): unknown }[];
  /** For a constraint whose pass on a string shows at sight: true when it surely passes. */
  readonly passesAtSight?: (value: string) => boolean;
}
interface PropertyPlan {
  readonly name: string;
  readonly conditions: readonly ((object: object, value: unknown) => boolean)[];
  readonly checks: readonly ConstraintCheck[];
  /** The schema name class-validator uses for nested objects of this property, if nested. */
  readonly nestedSchema?: string;
}
type Plan = readonly PropertyPlan[] | 'unknown-class' | 'unsupported';

const SUPPORTED = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.IS_DEFINED,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
  ValidationTypes.WHITELIST,
]);
/** Plans per class, then per schema name ('' for none). */
const plans = new WeakMap<object, Map<string, Plan>>();

function planFor(target: object, schema: string | undefined): Plan {
  let bySchema = plans.get(target);
  if (!bySchema) plans.set(target, (bySchema = new Map()));
  let plan = bySchema.get(schema ?? '');
  if (!plan) bySchema.set(schema ?? '', (plan = buildPlan(target as new () => object, schema)));
  return plan;
}

function buildPlan(target: new () => object, schema: string | undefined): Plan {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(target, schema as string, false, false);
  if (metadatas.length === 0) return 'unknown-class';
  const properties: PropertyPlan[] = [];
  for (const [name, list] of Object.entries(storage.groupByPropertyName(metadatas))) {
    if (list.some((metadata) => !SUPPORTED.has(metadata.type) || metadata.each || metadata.always))
      return 'unsupported';
    const checks: ConstraintCheck[] = [];
    for (const metadata of list) {
      if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION && metadata.type !== ValidationTypes.IS_DEFINED)
        continue;
      const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
      if (constraints.some((constraint) => constraint.async)) return 'unsupported';
      checks.push({
        metadata,
        validators: constraints.map((constraint) => constraint.instance),
        passesAtSight: atSight(metadata),
      });
    }
    // class-validator runs IS_DEFINED first, then the other constraints; the order only matters for messages.
    const nested = list.find((metadata) => metadata.type === ValidationTypes.NESTED_VALIDATION);
    properties.push({
      name,
      conditions: list
        .filter((metadata) => metadata.type === ValidationTypes.CONDITIONAL_VALIDATION)
        .map((metadata) => metadata.constraints[0] as (object: object, value: unknown) => boolean),
      checks,
      nestedSchema: nested
        ? typeof nested.target === 'string'
          ? nested.target
          : nested.target.name
        : undefined,
    });
  }
  return properties;
}

/**
 * A plan-time check for four of class-validator's own constraints whose pass on a string is plain
 * to see without running them (they run validator.js, which allocates match arrays and splits):
 * `@MaxLength(n)` passes a string of at most n UTF-16 units (it counts fewer: a surrogate pair or
 * a variation selector counts as none extra), `@Matches(re)`, for a RegExp without the g or y
 * flag, passes when `re.test` does (validator.js asks `!!value.match(re)`, the same for such a
 * pattern), `@IsUrl` passes a plain web URL (see {@link plainWebUrlCheck}) and `@IsISO8601` an
 * RFC 3339 date-time (see {@link rfc3339Check}). Anything else is left to the constraint.
 */
function atSight(metadata: ValidationMetadata): ((value: string) => boolean) | undefined {
  if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) return undefined;
  const first = (metadata.constraints as unknown[] | undefined)?.[0];
  if (metadata.name === MAX_LENGTH && typeof first === 'number') return (value) => value.length <= first;
  if (metadata.name === MATCHES && first instanceof RegExp && !first.global && !first.sticky)
    return (value) => first.test(value);
  if (metadata.name === IS_URL) return plainWebUrlCheck(first);
  if (metadata.name === IS_ISO8601) return rfc3339Check(first);
  return undefined;
}

/** For each option a shortcut follows, whether it still holds under the option's value. */
type OptionRules = Readonly<Record<string, (value: unknown) => boolean>>;
const ANY_VALUE = () => true;

/**
 * A constraint's options as a record when absent (`{}`) or when every key is one `rules` knows,
 * with a value it allows; `undefined` otherwise (then the shortcut is off and validator.js decides).
 */
function optionsWithin(options: unknown, rules: OptionRules): Record<string, unknown> | undefined {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) return undefined;
  for (const [key, value] of Object.entries(options)) {
    if (!Object.hasOwn(rules, key) || !rules[key]!(value)) return undefined;
  }
  return options as Record<string, unknown>;
}

/**
 * `2026-11-24T07:55:59Z`, `2026-11-24T07:55:59.123+01:00`: RFC 3339's date-time, upper case, in
 * the years 1000-9999 (`strict` refuses earlier years: it rebuilds the date without the zeros).
 */
const RFC3339_DATE_TIME =
  /^[1-9]\d{3}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const ISO8601_OPTIONS: OptionRules = { strict: ANY_VALUE, strictSeparator: ANY_VALUE };

/**
 * For `@IsISO8601(options)`: a check that is true only of strings validator.js's `isISO8601`
 * surely accepts: an RFC 3339 date-time (its `T` also satisfies `strictSeparator`) whose day
 * exists in its month (what `strict` adds: no 2026-02-29), or `undefined` for options it does
 * not know. Property-tested against `isISO8601` (fast-validation.spec.ts).
 */
export function rfc3339Check(options: unknown): ((value: string) => boolean) | undefined {
  if (!optionsWithin(options, ISO8601_OPTIONS)) return undefined;
  return (value) => {
    if (!RFC3339_DATE_TIME.test(value)) return false;
    const day = Number(value.slice(8, 10));
    if (day <= 28) return true;
    // Day 0 of the next month is the last day of this one.
    const lastDay = new Date(Date.UTC(Number(value.slice(0, 4)), Number(value.slice(5, 7)), 0));
    return day <= lastDay.getUTCDate();
  };
}

/**
 * `http(s)://` then a host of dotted DNS labels ending in letters, then anything validator.js does
 * not look at (path, query, fragment: no whitespace, `<` or `>`). No user info, port, IP address,
 * trailing dot or underscore: those go to validator.js.
 */
const PLAIN_WEB_URL =
  /^https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(?:[/?#][^\s<>]*)?$/;
/**
 * The `@IsUrl` options a {@link PLAIN_WEB_URL} passes under whatever their value (they only
 * loosen rules, or concern what such a URL has not got), or under the value said.
 * validator.js writes its defaults into the options object it is given (class-validator's
 * constraint), so after the first call they are all there.
 */
const URL_OPTIONS: OptionRules = {
  protocols: (value) => value === undefined || Array.isArray(value),
  require_valid_protocol: ANY_VALUE,
  require_protocol: ANY_VALUE,
  require_tld: ANY_VALUE,
  require_host: ANY_VALUE,
  require_port: (value) => !value,
  allow_underscores: ANY_VALUE,
  allow_trailing_dot: ANY_VALUE,
  allow_protocol_relative_urls: ANY_VALUE,
  allow_fragments: (value) => value !== false,
  allow_query_components: (value) => value !== false,
  validate_length: ANY_VALUE,
  max_allowed_length: (value) => value === undefined || typeof value === 'number',
  disallow_auth: ANY_VALUE,
  // isFQDN's, written into the same object when isURL checks the host.
  allow_numeric_tld: ANY_VALUE,
  allow_wildcard: ANY_VALUE,
  ignore_max_length: ANY_VALUE,
  host_whitelist: (value) => value === undefined,
  host_blacklist: (value) => value === undefined,
};
/** validator.js's defaults for `protocols` and `max_allowed_length`. */
const DEFAULT_URL_PROTOCOLS: readonly string[] = ['http', 'https', 'ftp'];
const DEFAULT_MAX_URL_LENGTH = 2084;

/**
 * For `@IsUrl(options)`: a check that is true only of strings validator.js's `isURL` surely
 * accepts, or `undefined` when the options change its rules in ways not followed here (host
 * lists, fragments or queries refused, a required port, an option it does not know).
 * A plain web URL passes every host rule (an FQDN with a top-level domain of letters, which also
 * satisfies `require_tld`), and its protocol is explicit, so only `protocols` and the length limit
 * matter. Property-tested against `isURL` under each kind of options it accepts
 * (fast-validation.spec.ts).
 */
export function plainWebUrlCheck(options: unknown): ((value: string) => boolean) | undefined {
  const given = optionsWithin(options, URL_OPTIONS);
  if (!given) return undefined;
  const protocols = (given['protocols'] ?? DEFAULT_URL_PROTOCOLS) as readonly unknown[];
  const anyProtocol = given['require_valid_protocol'] === false;
  const http = anyProtocol || protocols.includes('http');
  const https = anyProtocol || protocols.includes('https');
  const maxLength =
    given['validate_length'] === false
      ? Infinity
      : ((given['max_allowed_length'] as number | undefined) ?? DEFAULT_MAX_URL_LENGTH);
  return (value) =>
    value.length <= maxLength && PLAIN_WEB_URL.test(value) && (value[4] === 's' ? https : http);
}

/** `true` when `object` surely passes `validateSync`; `false` or `undefined` mean: ask class-validator. */
export function surelyValid(object: object, schema?: string): boolean | undefined {
  const plan = planFor(object.constructor, schema);
  if (plan === 'unsupported') return undefined;
  if (plan === 'unknown-class') return false;
  // One arguments object for every check of this call, updated before each: the checks are
  // synchronous, and building one per check was a tenth of a delivery's allocations.
  const args: ValidationArguments = {
    targetName: object.constructor.name,
    property: '',
    object,
    value: undefined,
    constraints: [],
  };
  for (const property of plan) {
    const value = (object as Record<string, unknown>)[property.name];
    let applies = true;
    for (const condition of property.conditions) applies = condition(object, value) && applies;
    if (!applies) continue;
    for (const { metadata, validators, passesAtSight } of property.checks) {
      if (metadata.validateIf && !metadata.validateIf(object, value)) continue;
      if (passesAtSight && typeof value === 'string' && passesAtSight(value)) continue;
      args.property = property.name;
      args.value = value;
      args.constraints = metadata.constraints;
      for (const validator of validators) {
        const valid = validator.validate(value, args);
        if (valid instanceof Promise) return undefined;
        if (!valid) return false;
      }
    }
    if (property.nestedSchema !== undefined && value !== undefined) {
      if (Array.isArray(value) || value instanceof Set || value instanceof Map) return undefined;
      if (!(value instanceof Object)) return false;
      const nested = surelyValid(value, property.nestedSchema);
      if (nested !== true) return nested;
    }
  }
  return true;
}
