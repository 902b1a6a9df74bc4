/**
 * Errors on the wire: the one place where a domain error becomes a JSON-RPC
 * error code, and where the client turns it back into an error with the same
 * message, so the CLI prints the same text with or without the daemon.
 *
 * @module
 */

import { FsError } from "../_internal/sys.ts";
import { ErrorCode, type WireError } from "./protocol.ts";

/** RpcError is a JSON-RPC error, thrown by handlers and by the client. */
export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = "RpcError";
  }
}

/**
 * isProgrammingError reports whether e is a bug rather than a failure to
 * tell the user about: the same rule as the CLI's (TypeError, ReferenceError
 * and RangeError are ours; every other Error is a message).
 */
export function isProgrammingError(e: unknown): boolean {
  return !(e instanceof Error) || e instanceof TypeError || e instanceof ReferenceError ||
    e instanceof RangeError;
}

// errorData returns the typed error's name and its own JSON-safe fields
// (SecurityError's evidence, FsError's op/path/kind…).
function errorData(e: Error): Record<string, unknown> {
  const data: Record<string, unknown> = { type: e.name };
  for (const [k, v] of Object.entries(e)) {
    if (k === "name" || k === "message" || k === "stack" || k === "cause") continue;
    try {
      const text = JSON.stringify(v);
      if (text !== undefined && text.length <= 64 * 1024) data[k] = JSON.parse(text);
    } catch {
      // Not JSON: left out.
    }
  }
  return data;
}

/**
 * toWireError maps anything a handler threw to the JSON-RPC error sent back:
 * an RpcError keeps its code; an FsError becomes FsError with {op, path,
 * kind}; any other error a user must see (a failed download or
 * verification, a query that matches nothing, "no removable toolchain")
 * becomes OperationFailed with the same message the CLI prints after
 * "gtc: " and {type, …fields} in data; a programming error is an internal
 * error whose message starts "internal error: " and whose stack stays in
 * the daemon's log.
 */
export function toWireError(e: unknown): WireError {
  if (e instanceof RpcError) {
    return e.data === undefined
      ? { code: e.code, message: e.message }
      : { code: e.code, message: e.message, data: e.data };
  }
  if (e instanceof FsError) {
    return {
      code: ErrorCode.FsError,
      message: e.message,
      data: { type: "FsError", op: e.op, path: e.path, kind: e.kind },
    };
  }
  if (!isProgrammingError(e) && !(e as Error).message.startsWith("internal error")) {
    return {
      code: ErrorCode.OperationFailed,
      message: (e as Error).message,
      data: errorData(e as Error),
    };
  }
  const msg = e instanceof Error ? e.message : String(e);
  return {
    code: ErrorCode.InternalError,
    message: msg.startsWith("internal error") ? msg : `internal error: ${msg}`,
  };
}

/** fromWireError rebuilds the error a wire error describes, for the client. */
export function fromWireError(w: WireError): Error {
  const d = w.data as { type?: string; op?: string; path?: string; kind?: string } | undefined;
  if (w.code === ErrorCode.FsError && d?.type === "FsError" && d.op && d.path) {
    const detail = w.message.slice(`${d.op} ${d.path}: `.length);
    return new FsError(d.op, d.path, (d.kind ?? "other") as FsError["kind"], detail);
  }
  return new RpcError(w.code, w.message, w.data);
}

/** notImplemented is the error a stub method answers with. */
export function notImplemented(what: string): RpcError {
  return new RpcError(ErrorCode.NotImplemented, `not implemented yet: ${what}`);
}

/** invalidParams is the error for params that do not match the method's schema. */
export function invalidParams(problems: string[]): RpcError {
  return new RpcError(
    ErrorCode.InvalidParams,
    `invalid params: ${problems.join("; ")}`,
    { problems },
  );
}
