/**
 * Pre-serialized JSON. The daemon keeps each answer as its JSON text (a
 * third of the memory of the object, and no re-serialization per request);
 * encode splices that text into the message around it.
 *
 * An answer's text can also be kept as parts shared between answers with a
 * fill string between them (daemon/state.ts: the answers of 10,000 modules
 * differ mostly by their directory, so they share one template and each
 * keeps only its directory): the text is then built when it is sent.
 *
 * @module
 */

/** RawJson is JSON text to be sent as is. */
export class RawJson {
  readonly #parts: string | readonly string[];
  readonly #fill: string;
  /** RawJson holds text, or the text parts.join(fill) (parts may be shared). */
  constructor(text: string | readonly string[], fill = "") {
    this.#parts = text;
    this.#fill = fill;
  }
  /** json is the text. */
  get json(): string {
    const p = this.#parts;
    return typeof p === "string" ? p : p.join(this.#fill);
  }
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
