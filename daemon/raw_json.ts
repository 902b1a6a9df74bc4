/**
 * Pre-serialized JSON. The daemon keeps each answer as its JSON text (a
 * third of the memory of the object, and no re-serialization per request);
 * encode splices that text into the message around it.
 *
 * @module
 */

/** RawJson is JSON text to be sent as is. */
export class RawJson {
  constructor(readonly json: string) {}
  /** toJSON makes a RawJson outside encode serialize as its value. */
  toJSON(): unknown {
    return JSON.parse(this.json);
  }
}

/**
 * encode serializes v like JSON.stringify, writing each RawJson's text in
 * place. Only the first levels are walked (where the daemon puts RawJson:
 * responses, batches, notification params); deeper values go to
 * JSON.stringify whole.
 */
export function encode(v: unknown, depth = 0): string {
  if (v instanceof RawJson) return v.json;
  if (typeof v !== "object" || v === null || depth > 3) return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return "[" + v.map((x) => encode(x, depth + 1)).join(",") + "]";
  let out = "{";
  let first = true;
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === "function") continue;
    out += (first ? "" : ",") + JSON.stringify(k) + ":" + encode(x, depth + 1);
    first = false;
  }
  return out + "}";
}
