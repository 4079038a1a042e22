// Zod field types the model's records share: ids that every front door can address, and integers
// that fit the store's 32-bit columns, so an import either keeps a value exactly or rejects its line.
import { z } from 'zod';

/** C0/C1 control characters (NUL, ESC, DEL, …): an id holding one cannot be typed or printed. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A record id: 1–200 characters, none of them a control character. */
export const recordId = z
  .string()
  .min(1)
  .max(200)
  .refine((s) => !CONTROL.test(s), { message: 'must not contain control characters (NUL, newline, escape, …)' });

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** A whole number the store keeps exactly (a 32-bit column); larger values are rejected, never wrapped. */
export const int32 = z
  .number()
  .int()
  .min(INT32_MIN, { message: `must be at least ${INT32_MIN} (the store keeps 32-bit integers)` })
  .max(INT32_MAX, { message: `must be at most ${INT32_MAX} (the store keeps 32-bit integers)` });
