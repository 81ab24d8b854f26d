/** Thrown at bootstrap when the module's options are unusable, so a bad deploy fails at start. */
export class FaceWebhooksConfigError extends Error {
  /** @param problems - Every problem found, each naming the option it is about. */
  constructor(readonly problems: readonly string[]) {
    super(`FaceWebhooksModule is misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'FaceWebhooksConfigError';
  }
}
