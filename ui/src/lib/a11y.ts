// Small helpers for the attributes that tie a field to its hint and its errors.

import { errorId, errorsFor } from './form';
import type { FieldError } from './ipc';

/** The ids a field is described by (hints and errors), or undefined for none. */
export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const present = ids.filter((id): id is string => Boolean(id));
  return present.length ? present.join(' ') : undefined;
}

/** The attributes of the field of `key`: invalid, and described by its error text. */
export function fieldAttrs(errors: FieldError[], key: string, hint?: string) {
  const invalid = errorsFor(errors, key).length > 0;
  return {
    'aria-invalid': invalid ? ('true' as const) : undefined,
    'aria-describedby': describedBy(hint, invalid && errorId(key)),
  };
}
