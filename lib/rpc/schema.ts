/**
 * A small subset of JSON Schema (draft 2020-12) that the protocol table is
 * written in: the same data is checked against incoming params and published
 * in the OpenRPC document. Supported keywords: type, properties, required,
 * additionalProperties (false or a schema), items, enum, minLength, minimum,
 * description, $ref (to components, not checked), oneOf of type null.
 *
 * @module
 */

/** Schema is a JSON Schema object in the subset this module understands. */
export interface Schema {
  type?:
    | "object"
    | "string"
    | "boolean"
    | "number"
    | "integer"
    | "array"
    | "null"
    | Array<
      "object" | "string" | "boolean" | "number" | "integer" | "array" | "null"
    >;
  description?: string;
  properties?: Record<string, Schema>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: readonly unknown[];
  minLength?: number;
  /** For numbers: the least value allowed. */
  minimum?: number;
  maxItems?: number;
  $ref?: string;
  examples?: readonly unknown[];
}

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: string, got: string): boolean {
  return want === got || (want === "number" && got === "integer");
}

/** CheckOptions adjust check. */
export interface CheckOptions {
  /**
   * The request's frame was not valid UTF-8 and was decoded with U+FFFD
   * replacements: a string holding U+FFFD is not what the client sent (a
   * directory name would be answered for another path), so it is refused.
   */
  lossy?: boolean;
}

/**
 * check returns the problems of value against schema, each "path: problem";
 * an empty list means value conforms. $ref is not followed (it always
 * conforms): the protocol uses it only for results.
 */
export function check(
  schema: Schema,
  value: unknown,
  path = "params",
  opts: CheckOptions = {},
): string[] {
  if (schema.$ref !== undefined) return [];
  const got = typeOf(value);
  if (schema.type !== undefined) {
    const wants = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!wants.some((w) => typeMatches(w, got))) {
      return [`${path}: expected ${wants.join(" or ")}, got ${got}`];
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(value)) {
    return [`${path}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`];
  }
  const problems: string[] = [];
  if (got === "string") {
    // A path or name must reach the file system exactly as sent: a lone
    // surrogate (from a "\udc80" escape) or invalid UTF-8 has no exact
    // file name, and Deno would replace it with U+FFFD.
    if (!(value as string).isWellFormed()) {
      problems.push(`${path}: not well-formed Unicode (a lone surrogate)`);
    } else if (opts.lossy && (value as string).includes("\uFFFD")) {
      problems.push(`${path}: not valid UTF-8`);
    }
  }
  if (got === "string" && schema.minLength !== undefined) {
    if ((value as string).length < schema.minLength) {
      problems.push(`${path}: must not be empty`);
    }
  }
  if ((got === "number" || got === "integer") && schema.minimum !== undefined) {
    if ((value as number) < schema.minimum) problems.push(`${path}: must be ≥ ${schema.minimum}`);
  }
  if (got === "array") {
    const arr = value as unknown[];
    if (schema.maxItems !== undefined && arr.length > schema.maxItems) {
      problems.push(`${path}: at most ${schema.maxItems} items`);
    }
    if (schema.items !== undefined) {
      for (let i = 0; i < arr.length && problems.length < 10; i++) {
        problems.push(...check(schema.items, arr[i], `${path}[${i}]`, opts));
      }
    }
  }
  if (got === "object") {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) {
      if (!(r in obj) || obj[r] === undefined) problems.push(`${path}.${r}: required`);
    }
    for (const k in obj) {
      if (problems.length >= 10) break;
      const p = schema.properties?.[k];
      if (p !== undefined) {
        problems.push(...check(p, obj[k], `${path}.${k}`, opts));
      } else if (schema.additionalProperties === false) {
        problems.push(`${path}.${k}: unknown parameter`);
      } else if (typeof schema.additionalProperties === "object") {
        problems.push(...check(schema.additionalProperties, obj[k], `${path}.${k}`, opts));
      }
    }
  }
  return problems;
}
