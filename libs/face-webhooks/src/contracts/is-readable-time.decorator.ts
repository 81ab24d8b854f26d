import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Reads an ISO 8601 text the way `Date` does; `undefined` when `Date` cannot. */
export function readTime(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The value must be a text that `read` turns into a valid `Date`. A time that a format check
 * accepts but `Date` cannot read (ISO 8601 basic form `20260316T193516Z`, week dates `2026-W11-1`,
 * years past 275760) would otherwise become an Invalid Date in `event.occurredAt` and make every
 * handler that formats it throw, so that each retry of the delivery fails again.
 */
export function IsReadableTime(
  read: (text: string) => Date | undefined = readTime,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isReadableTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && read(value) !== undefined,
        defaultMessage: () => '$property must be a date-time JavaScript can read, like 2026-03-16T19:35:16Z',
      },
    },
    options,
  );
}
