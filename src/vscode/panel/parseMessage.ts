// Validation of what the panel sends: a message reaches its handler only if it is an object with a
// known `type` whose schema it satisfies. Rejections carry a short reason for the log and never
// echo the (possibly huge or hostile) content back.
import { fromWebviewSchemas, type FromWebview, type FromWebviewType } from '../../shared/fromWebview';
import { oneLine } from '../../core/util/text';

export type Parsed = { ok: true; message: FromWebview } | { ok: false; reason: string };

export function parseMessage(raw: unknown): Parsed {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: `expected an object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}` };
  }
  const type: unknown = (raw as { type?: unknown }).type;
  if (typeof type !== 'string') return { ok: false, reason: 'the message has no string "type"' };
  if (!Object.hasOwn(fromWebviewSchemas, type)) return { ok: false, reason: `unknown message type ${JSON.stringify(oneLine(type, 60))}` };
  const schema = fromWebviewSchemas[type as FromWebviewType];
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 3).map((i) => {
      const where = i.path.length ? i.path.map((p) => oneLine(String(p), 40)).join('.') : 'message';
      return `${where}: ${oneLine(i.message, 120)}`;
    });
    return { ok: false, reason: `invalid "${type}" message (${issues.join('; ')})` };
  }
  return { ok: true, message: result.data as FromWebview };
}
