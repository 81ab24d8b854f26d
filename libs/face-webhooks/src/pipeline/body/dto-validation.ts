import { BadRequestException } from '@nestjs/common';
import { validateSync, type ValidationError } from 'class-validator';
import { toInstance } from './fast-hydration.js';
import { surelyValid } from './fast-validation.js';

/**
 * Turns a parsed body into an instance of `dto` and validates it. Failure is a 400 whose `message`
 * lists every problem with the field's full path (`details.timestamp must be ...`), the shape Nest's
 * own ValidationPipe uses. Unknown properties are kept: providers add fields without notice.
 */
export function validateDto<T extends object>(dto: new () => T, plain: Record<string, unknown>): T {
  const instance = toInstance(dto, plain);
  // Most bodies are valid: a cached plan of the same rules says so cheaply; anything else gets the
  // full class-validator run, which also writes the messages.
  if (surelyValid(instance) === true) return instance;
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: false } });
  if (errors.length > 0) throw new BadRequestException(collectMessages(errors));
  return instance;
}

/** Every message, with its field's path, into `messages` (no spreading: an array can be long). */
function collectMessages(
  errors: readonly ValidationError[],
  parentPath = '',
  messages: string[] = [],
): string[] {
  for (const error of errors) {
    for (const message of Object.values(error.constraints ?? {})) {
      messages.push(parentPath ? `${parentPath}.${message}` : message);
    }
    if (error.children?.length) {
      const path = parentPath ? `${parentPath}.${error.property}` : error.property;
      collectMessages(error.children, path, messages);
    }
  }
  return messages;
}
