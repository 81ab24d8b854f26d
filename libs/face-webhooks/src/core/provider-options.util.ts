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
