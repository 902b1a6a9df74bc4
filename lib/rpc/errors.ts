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
 * toWireError maps anything a handler threw to the JSON-RPC error sent back:
 * an RpcError keeps its code; an FsError becomes FsError with {op, path,
 * kind}; anything else is an internal error whose message starts
 * "internal error: " and whose stack stays in the daemon's log.
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
