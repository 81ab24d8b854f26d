/** A setting given as one value or a list (tokens and secrets, for rotation), as a list. */
export function asList(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : [...value];
}

/** The problem with an optional duration setting, if any: it must be a positive whole number of ms. */
export function checkDurationMs(setting: string, value: number | undefined): string[] {
  return value === undefined || (Number.isInteger(value) && value > 0)
    ? []
    : [`${setting} must be a positive whole number of milliseconds`];
}

/** The problem with an optional clock tolerance: a whole number of seconds from 1 to 3600. */
export function checkToleranceSeconds(setting: string, value: number | undefined): string[] {
  return value === undefined || (Number.isInteger(value) && value > 0 && value <= 3600)
    ? []
    : [`${setting} must be a whole number of seconds from 1 to 3600`];
}

/**
 * The problem with a secret setting (one value, or a list while rotating), if any: a blank entry,
 * or none at all when one is `required`. `where` tells the user where to find it.
 */
export function checkSecrets(
  setting: string,
  secrets: readonly unknown[],
  where: string,
  required = true,
): string[] {
  const blank = secrets.some((secret) => typeof secret !== 'string' || secret.trim() === '');
  return blank || (required && secrets.length === 0)
    ? [`${setting} is required: ${where} (or a list, to rotate)`]
    : [];
}
