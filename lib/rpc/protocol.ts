/**
 * The gtc daemon protocol as data: JSON-RPC 2.0 over a Unix socket (a named
 * pipe on Windows), one JSON value per line. Each method is one descriptor
 * (name, params and result schemas, doc); the daemon checks params against
 * the descriptor before any handler runs, and `rpc.discover` publishes the
 * same table as an OpenRPC document. Daemon and client both import this file;
 * it imports nothing at run time, so the thin client stays cheap to load.
 *
 * The protocol version is part of the socket name (`gtc-v1.sock`): a client
 * never talks to a daemon of another protocol (the gopls version-skew
 * lesson, golang/go#50991).
 *
 * @module
 */

import type { Explanation } from "../resolve/mod.ts";
import type { Installed } from "../inventory/mod.ts";
import type {
  GcResult,
  Installation,
  InstallSource,
  RemoteList,
  RemoveResult,
} from "../ops/mod.ts";
import type { Schema } from "./schema.ts";

/** PROTOCOL_VERSION names the wire protocol; it is in the socket name. */
export const PROTOCOL_VERSION = 1;

/** MAX_FRAME_BYTES is the longest frame (one line, newline excluded) a peer accepts. */
export const MAX_FRAME_BYTES = 1 << 20;

/** MAX_BATCH is the most requests one batch may carry. */
export const MAX_BATCH = 1000;

/**
 * ErrorCode lists the JSON-RPC error codes gtc uses: the five standard ones
 * and gtc's own in the implementation-defined range -32000…-32099.
 */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** A file or directory gtc needed could not be read (data: {op, path, kind}). */
  FsError: -32000,
  /** The method is part of the protocol but not built yet. */
  NotImplemented: -32001,
  /** The daemon is shutting down or overloaded; retry after starting a new one. */
  Unavailable: -32002,
  /** A subscription id that this connection does not hold. */
  UnknownSubscription: -32003,
  /** A loopback (TCP) request without the right token, or for a method other than prompt. */
  Unauthorized: -32004,
  /**
   * A toolchain operation failed (a download, a verification, a removal, a
   * query that matches nothing): the message is what gtc prints after
   * "gtc: "; data: {type, …} names the error and carries its fields.
   */
  OperationFailed: -32005,
} as const;

/** The wire form of an error. */
export interface WireError {
  code: number;
  message: string;
  data?: unknown;
}

/** The environment keys a request carries (see relevantEnv). */
export const ENV_KEYS_DOC =
  "every variable whose name starts with GO, and PATH, PATHEXT, HOME, USERPROFILE, APPDATA, " +
  "XDG_CONFIG_HOME, TMPDIR, TMP, TEMP (case-insensitive names on Windows)";

const extraEnv = new Set([
  "PATH",
  "PATHEXT",
  "HOME",
  "USERPROFILE",
  "APPDATA",
  "XDG_CONFIG_HOME",
  "TMPDIR",
  "TMP",
  "TEMP",
]);

/**
 * isRelevantEnv reports whether the go command's toolchain selection can
 * depend on the environment variable key: all GO* variables (GOTOOLCHAIN,
 * GOENV, GOROOT, GOWORK, GOFLAGS, GO111MODULE, GOPROXY, GOSUMDB,
 * GOTOOLCHAIN_INTERNAL_SWITCH_*, …), PATH and the variables that place the go
 * env file and the temporary directory.
 */
export function isRelevantEnv(key: string): boolean {
  return key.startsWith("GO") || extraEnv.has(key.toUpperCase());
}

/**
 * relevantEnv returns the part of env that toolchain selection reads, with
 * keys sorted: what a client sends so the daemon answers as the client's
 * shell would, and (joined) part of the daemon's cache key.
 */
export function relevantEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) {
    const v = env[k];
    if (v !== undefined && isRelevantEnv(k)) out[k] = v;
  }
  return out;
}

/** The environment keys a toolchain request (list, install, remove, gc) carries besides ENV_KEYS_DOC's. */
export const TOOLCHAIN_ENV_KEYS_DOC =
  "every variable whose name starts with GTC_ (GTC_HOME, the source mirrors and key), and " +
  "XDG_DATA_HOME, LOCALAPPDATA, NETRC";

const toolchainExtraEnv = new Set(["XDG_DATA_HOME", "LOCALAPPDATA", "NETRC"]);

/**
 * isToolchainEnv reports whether installing, listing or removing toolchains
 * can depend on the environment variable key: everything selection reads
 * (isRelevantEnv), plus where gtc's store is (GTC_HOME, XDG_DATA_HOME,
 * LOCALAPPDATA), the source settings (GTC_GODL_MIRROR, GTC_MICROSOFT_*) and
 * the credentials file (NETRC).
 */
export function isToolchainEnv(key: string): boolean {
  return isRelevantEnv(key) || key.startsWith("GTC_") || toolchainExtraEnv.has(key.toUpperCase());
}

/** toolchainEnv returns the part of env that a toolchain request sends, keys sorted. */
export function toolchainEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(env).sort()) {
    const v = env[k];
    if (v !== undefined && isToolchainEnv(k)) out[k] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Params and results.

/** What resolve, why and subscribe evaluate: a directory in an environment. */
export interface Target {
  /** Absolute directory. */
  dir: string;
  /** The client's environment; only relevant keys are used (relevantEnv). */
  env: Record<string, string>;
  /** The go command's arguments after "go" (only `go env …` matters). */
  args?: string[];
}

/** ResolveParams asks for the Explanation of a directory. */
export interface ResolveParams extends Target {
  /** Recompute instead of answering from the cache (after a write the watcher may not have seen yet). */
  fresh?: boolean;
}

/** WhyParams asks for the prose `gtc why` prints. */
export interface WhyParams extends ResolveParams {
  /** ANSI colour (default false). */
  color?: boolean;
  /** Only the rules that fired (default false). */
  quiet?: boolean;
}

/** WhyResult is the prose and the go command's error, if it would fail. */
export interface WhyResult {
  text: string;
  error: string | null;
}

/** SubscribeResult names the subscription and carries the current answer. */
export interface SubscribeResult {
  subscription: string;
  explanation: Explanation;
}

/** UnsubscribeParams names a subscription of this connection. */
export interface UnsubscribeParams {
  subscription: string;
}

/** Why the daemon sent a `changed` notification. */
export type ChangeReason = "file" | "rescan" | "revalidate";

/** ChangedParams is the `changed` notification: a subscribed answer changed. */
export interface ChangedParams {
  subscription: string;
  dir: string;
  reason: ChangeReason;
  /** The paths whose events caused the recomputation (at most 20). */
  paths: string[];
  explanation: Explanation;
}

/** RescanParams is the `rescan` notification: events may have been lost; every answer was recomputed. */
export interface RescanParams {
  reason: string;
}

/** StatusResult describes the running daemon. */
export interface StatusResult {
  pid: number;
  protocol: number;
  /** gtc's version. */
  version: string;
  startedAt: string;
  uptimeMs: number;
  address: string;
  logFile: string | null;
  /** Idle exit after this many ms without clients; 0 = never. */
  idleExitMs: number;
  connections: number;
  requests: number;
  /** Cached answers (directory × environment). */
  entries: number;
  /** Cached remote lists (listRemote), expired ones not counted. */
  remoteLists: number;
  subscriptions: number;
  watcher: {
    /** "inotify" (Linux) or "deno.watchFs" (elsewhere). */
    kind: string;
    /** Directories watched now. */
    dirs: number;
    /** Directories that could not be watched: answers depending on them are never cached. */
    unwatchable: number;
    /** Overflows or watcher errors after which every answer was recomputed. */
    rescans: number;
    /** Changes found by periodic revalidation that no event reported. */
    missed: number;
    /** Answers dropped because they were not asked for a while. */
    evicted: number;
  };
  rssBytes: number;
  /** Live JavaScript heap. */
  heapUsedBytes: number;
  /** Shell hooks (docs/hooks.md). */
  hooks?: {
    /** The loopback TCP port for shells without Unix sockets (bash), or null. */
    port: number | null;
    /** Live shells with a hook. */
    shells: number;
    /** Up to 100 of them. */
    list: ShellInfo[];
  };
}

/**
 * PromptParams asks for a shell prompt segment (docs/hooks.md). The shell's
 * pid makes the daemon keep the answer fresh for that shell until the pid is
 * gone; token is required on the loopback TCP listener, ignored elsewhere.
 */
export interface PromptParams extends Target {
  /** The shell's pid: the daemon keeps this answer watched while the shell lives. */
  pid?: number;
  /** "bash", "zsh", "fish", "pwsh" or another client name (for status only). */
  shell?: string;
  /** Whether the shell puts the selected toolchain first in PATH (--switch-path). */
  switch?: boolean;
  /** The loopback listener's token (from the hook file); required over TCP. */
  token?: string;
}

/**
 * PromptResult is one line, `proof|flags|toolchain|text|bindir`, free of `"`,
 * `\` and control characters so a shell can take it out of the JSON frame
 * with plain string operations:
 * - proof: the hook file's proof (48 hex digits), which only the daemon sends:
 *   a hook trusts no answer without it (docs/hooks.md, threat model);
 * - flags: `d` needs a download, `p` not the go on PATH, `e` the go command
 *   would fail, `s` the shell should switch PATH to bindir;
 * - toolchain: the selected toolchain ("go1.22.0"), or empty;
 * - text: the prompt segment to show ("go1.22.0", "go1.99.0↓", "go1.21.0*", "go!");
 * - bindir: the directory to put first in PATH (last field: may hold `|`), or empty.
 */
export type PromptResult = string;

/** ShellInfo is one shell the daemon keeps answers fresh for. */
export interface ShellInfo {
  pid: number;
  shell: string;
  dir: string;
  /** When its last prompt request arrived (ISO 8601). */
  seen: string;
}

/** ToolchainParams carry the client's environment (toolchainEnv) for list, install, remove and gc. */
export interface ToolchainParams {
  env: Record<string, string>;
}

/** ListParams asks for the installed toolchains (`gtc list --json`). */
export interface ListParams extends ToolchainParams {
  /** Measure each toolchain's size on disk (default true). */
  sizes?: boolean;
}

/** ListResult is the array `gtc list --json` prints. */
export type ListResult = Installed[];

/**
 * ListRemoteParams asks for the toolchains a source offers (`gtc list
 * --remote --json`). Answers are cached per source, all and the environment
 * that changes them (remoteListKey) for a while (GTC_REMOTE_TTL_MS, default
 * 10 minutes); refresh fetches again.
 */
export interface ListRemoteParams extends ToolchainParams {
  /** Default "goproxy". */
  source?: InstallSource;
  /** Include betas and release candidates. */
  all?: boolean;
  /** Fetch again instead of answering from the cache. */
  refresh?: boolean;
}

/** ListRemoteResult is the object `gtc list --remote --json` prints. */
export type ListRemoteResult = RemoteList;

/** DEFAULT_REMOTE_TTL_MS is how long the daemon keeps a remote list (10 minutes). */
export const DEFAULT_REMOTE_TTL_MS = 10 * 60 * 1000;

const remoteExtraEnv = new Set(["HOME", "USERPROFILE", "APPDATA", "XDG_CONFIG_HOME", "NETRC"]);

/**
 * isRemoteListEnv reports whether a remote list can depend on the
 * environment variable key: the Go settings (GOPROXY, GONOPROXY, GOPRIVATE,
 * GOINSECURE, GOAUTH, GOENV and the rest of GO*), gtc's source settings
 * (GTC_GODL_MIRROR, GTC_MICROSOFT_MIRROR and the rest of GTC_*), the
 * credentials file (NETRC) and where the go env file and .netrc are (HOME,
 * USERPROFILE, APPDATA, XDG_CONFIG_HOME).
 */
export function isRemoteListEnv(key: string): boolean {
  return key.startsWith("GO") || key.startsWith("GTC_") || remoteExtraEnv.has(key.toUpperCase());
}

/** remoteListKey is the daemon's cache key of a listRemote request. */
export function remoteListKey(p: ListRemoteParams): string {
  let key = `${p.source ?? "goproxy"}\0${p.all ? 1 : 0}`;
  for (const k of Object.keys(p.env).sort()) {
    if (isRemoteListEnv(k)) key += `\0${k}=${p.env[k]}`;
  }
  return key;
}

/**
 * InstallParams asks for one toolchain, by exact name or by query (exactly
 * one of the two). Requests for the same toolchain, source, force and
 * environment share one download.
 */
export interface InstallParams extends ToolchainParams {
  /** Exact toolchain name: "go1.22.5", "go1.22.5-1". */
  name?: string;
  /** A query as `gtc install` takes it: "1.22", "1.22.5", "go1.22.5", "latest". */
  query?: string;
  /** Where from (default: microsoft for a pinned revision "go1.22.5-1", else goproxy). */
  source?: InstallSource;
  /** Reinstall a store toolchain. */
  force?: boolean;
}

/** InstallResult is the object `gtc install --json` prints. */
export type InstallResult = Installation;

/** InstallProgressParams is the `install.progress` notification, sent to every client waiting for that install. */
export interface InstallProgressParams {
  /** The toolchain being downloaded. */
  name: string;
  /** Bytes downloaded so far. */
  bytes: number;
  /** The download's size, or null when the server did not say. */
  total: number | null;
}

/** RemoveParams names one removable toolchain (`gtc remove`). */
export interface RemoveParams extends ToolchainParams {
  name: string;
  /** "cache", "godl" or "microsoft": needed when name is in several. */
  source?: "cache" | "godl" | "microsoft";
}

/** RemoveResult is the object `gtc remove --json` prints. */
export type { RemoveResult };

/** GcParams asks to remove toolchains not used within days (`gtc gc`). */
export interface GcParams extends ToolchainParams {
  /** Keep toolchains used within this many days (default 30). */
  days?: number;
  /** Only say what would be removed. */
  dryRun?: boolean;
}

/** GcResult is the object `gtc gc --json` prints. */
export type { GcResult };

/** ShutdownResult acknowledges a shutdown; the daemon exits after answering. */
export interface ShutdownResult {
  pid: number;
}

// ---------------------------------------------------------------------------
// Method table.

/** MethodDescriptor defines one method once, for both ends and rpc.discover. */
export interface MethodDescriptor {
  name: string;
  summary: string;
  description?: string;
  params: Schema;
  result: Schema;
  /** Notification method (server → client): sent, never called. */
  notification?: boolean;
  /** Answers with NotImplemented until the issue that builds it lands. */
  notImplemented?: string;
  /** gtc's own error codes the method answers with besides the standard ones. */
  errors?: readonly (keyof typeof ErrorCode)[];
  examples?: { params: unknown; result?: unknown }[];
}

const envSchema: Schema = {
  type: "object",
  description: `The client's environment: ${ENV_KEYS_DOC}. Other keys are ignored.`,
  additionalProperties: { type: "string" },
};

const targetProps: Record<string, Schema> = {
  dir: { type: "string", minLength: 1, description: "Absolute directory to evaluate." },
  env: envSchema,
  args: {
    type: "array",
    items: { type: "string" },
    maxItems: 256,
    description: 'The go command\'s arguments after "go" (only `go env …` is special).',
  },
};

const resolveProps: Record<string, Schema> = {
  ...targetProps,
  fresh: {
    type: "boolean",
    description: "Recompute now instead of answering from the cache.",
  },
};

const explanationRef: Schema = {
  $ref: "#/components/schemas/Explanation",
};

const none: Schema = { type: "object", additionalProperties: false };

const toolchainErrors = ["OperationFailed", "FsError"] as const;

const toolchainEnvSchema: Schema = {
  type: "object",
  description: `The client's environment: ${ENV_KEYS_DOC}; and ${TOOLCHAIN_ENV_KEYS_DOC}. ` +
    "Other keys are ignored.",
  additionalProperties: { type: "string" },
};

const installedSchema: Schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    source: { type: "string", enum: ["local", "path", "cache", "godl", "microsoft"] },
    path: { type: "string", description: "Its GOROOT (for path: the program)." },
    size: { type: "integer", description: "Bytes on disk, when measured." },
    lastUsed: { type: "string", description: "RFC 3339." },
    projects: { type: "array", items: { type: "string" } },
    removable: { type: "boolean" },
  },
  required: ["name", "source", "path", "projects", "removable"],
};

const removedSchema: Schema = {
  type: "object",
  properties: {
    name: { type: "string" },
    source: { type: "string", enum: ["cache", "godl", "microsoft"] },
    path: { type: "string" },
    size: { type: "integer" },
    reason: { type: "string", description: "gc only: why it was picked." },
  },
  required: ["name", "source", "path"],
};

/** methods is the protocol: every method the daemon answers and every notification it sends. */
export const methods: readonly MethodDescriptor[] = [
  {
    name: "resolve",
    summary: "Which Go toolchain the go command runs in dir with env, and why",
    description:
      "Returns the same object as `gtc why --json`. Answers come from a cache kept fresh by a " +
      "file watcher; pass fresh: true to recompute.",
    params: {
      type: "object",
      properties: resolveProps,
      required: ["dir", "env"],
      additionalProperties: false,
    },
    result: explanationRef,
    examples: [{
      params: { dir: "/src/hello", env: { PATH: "/usr/local/go/bin:/usr/bin" } },
    }],
  },
  {
    name: "why",
    summary: "The prose `gtc why` prints for dir with env",
    params: {
      type: "object",
      properties: {
        ...resolveProps,
        color: { type: "boolean", description: "ANSI colour (default false)." },
        quiet: { type: "boolean", description: "List only the rules that fired." },
      },
      required: ["dir", "env"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: { text: { type: "string" }, error: { type: ["string", "null"] } },
      required: ["text", "error"],
    },
  },
  {
    name: "subscribe",
    summary: "Watch dir with env: a `changed` notification follows every change of the answer",
    description: "Returns the subscription id and the current answer. The subscription ends with " +
      "unsubscribe or when the connection closes.",
    params: {
      type: "object",
      properties: targetProps,
      required: ["dir", "env"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: { subscription: { type: "string" }, explanation: explanationRef },
      required: ["subscription", "explanation"],
    },
  },
  {
    name: "unsubscribe",
    summary: "End a subscription of this connection",
    params: {
      type: "object",
      properties: { subscription: { type: "string", minLength: 1 } },
      required: ["subscription"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: { removed: { type: "boolean" } },
      required: ["removed"],
    },
  },
  {
    name: "status",
    summary: "The daemon's pid, address, caches, watcher and memory",
    params: none,
    result: { type: "object", description: "See StatusResult in lib/rpc/protocol.ts." },
  },
  {
    name: "shutdown",
    summary: "Stop the daemon after answering",
    params: none,
    result: { type: "object", properties: { pid: { type: "integer" } }, required: ["pid"] },
  },
  {
    name: "prompt",
    summary: "A shell prompt segment for dir with env, as one line (docs/hooks.md)",
    description: "Returns `proof|flags|toolchain|text|bindir` (see PromptResult). With pid, " +
      "the daemon " +
      "keeps the answer watched for that shell until the pid is gone, and bumps the generation " +
      "in the hook file when it may have changed. The only method allowed on the loopback TCP " +
      "listener, where token is required.",
    params: {
      type: "object",
      properties: {
        ...targetProps,
        pid: { type: "integer", description: "The shell's pid (positive)." },
        shell: { type: "string", description: "The shell's name (at most 32 characters)." },
        switch: { type: "boolean", description: "The shell switches PATH (--switch-path)." },
        token: { type: "string", description: "The loopback token." },
      },
      required: ["dir", "env"],
      additionalProperties: false,
    },
    result: { type: "string", description: "proof|flags|toolchain|text|bindir" },
    examples: [{
      params: { dir: "/src/hello", env: { PATH: "/usr/local/go/bin:/usr/bin" }, pid: 4242 },
      result: "5f0c9e2ab1d47c3e8f60a29b4d1c7e5a03b8f2d6c9e1a47b|dp|go1.99.0|go1.99.0↓|",
    }],
  },
  {
    name: "list",
    summary: "Installed toolchains: local, PATH, module cache and gtc's store",
    description: "Returns the array `gtc list --json` prints.",
    errors: toolchainErrors,
    params: {
      type: "object",
      properties: {
        env: toolchainEnvSchema,
        sizes: {
          type: "boolean",
          description: "Measure each toolchain's size on disk (default true).",
        },
      },
      required: ["env"],
      additionalProperties: false,
    },
    result: { type: "array", items: installedSchema },
    examples: [{ params: { env: { HOME: "/home/me", PATH: "/usr/local/go/bin:/usr/bin" } } }],
  },
  {
    name: "listRemote",
    summary: "The toolchains a source offers for this platform, newest first",
    description: "Returns the object `gtc list --remote --json` prints. Answers are cached per " +
      "source, all and the environment that changes them (GO*, GTC_*, NETRC, HOME, " +
      "USERPROFILE, APPDATA, XDG_CONFIG_HOME) for GTC_REMOTE_TTL_MS of the daemon (default " +
      "600000, 10 minutes); refresh: true fetches again. Identical requests while a fetch " +
      "runs share it; errors are not cached.",
    errors: toolchainErrors,
    params: {
      type: "object",
      properties: {
        env: toolchainEnvSchema,
        source: {
          type: "string",
          enum: ["goproxy", "godl", "microsoft"],
          description: 'Default "goproxy".',
        },
        all: { type: "boolean", description: "Include betas and release candidates." },
        refresh: { type: "boolean", description: "Fetch again instead of using the cache." },
      },
      required: ["env"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: {
        source: { type: "string", enum: ["goproxy", "godl", "microsoft"] },
        toolchains: { type: "array", items: { type: "string" } },
      },
      required: ["source", "toolchains"],
    },
    examples: [{
      params: { env: { HOME: "/home/me", GOPROXY: "https://proxy.golang.org" } },
      result: { source: "goproxy", toolchains: ["go1.24.2", "go1.24.1", "go1.24.0"] },
    }],
  },
  {
    name: "install",
    summary: "Download, verify and install a toolchain; progress as `install.progress`",
    description: "Returns the object `gtc install --json` prints. Give exactly one of name and " +
      "query. Requests for the same toolchain, source, force and environment share one " +
      "download: every waiting client gets `install.progress` notifications and the same " +
      "result or error. From goproxy the toolchain goes into the module cache (verified by " +
      "the checksum database), from godl or microsoft into gtc's store.",
    errors: toolchainErrors,
    params: {
      type: "object",
      properties: {
        env: toolchainEnvSchema,
        name: { type: "string", minLength: 1, description: 'Exact name: "go1.22.5".' },
        query: {
          type: "string",
          minLength: 1,
          description: 'A query: "1.22", "1.22.5", "go1.22.5", "latest", "go1.22.5-1".',
        },
        source: {
          type: "string",
          enum: ["goproxy", "godl", "microsoft"],
          description: 'Default: "microsoft" for a pinned revision ("go1.22.5-1"), else "goproxy".',
        },
        force: { type: "boolean", description: "Reinstall a store toolchain." },
      },
      required: ["env"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: {
        toolchain: { type: "string" },
        source: { type: "string", enum: ["cache", "godl", "microsoft", "local", "path"] },
        dir: { type: "string", description: "Its GOROOT." },
        downloaded: { type: "boolean" },
        env: {
          type: "object",
          additionalProperties: { type: "string" },
          description: "Environment the toolchain must run with.",
        },
        notices: { type: "array", items: { type: "string" } },
      },
      required: ["toolchain", "source", "dir", "downloaded", "env", "notices"],
    },
    examples: [{
      params: { env: { HOME: "/home/me", PATH: "/usr/bin" }, query: "1.22" },
      result: {
        toolchain: "go1.22.12",
        source: "cache",
        dir: "/home/me/go/pkg/mod/golang.org/toolchain@v0.0.1-go1.22.12.linux-amd64",
        downloaded: true,
        env: {},
        notices: [],
      },
    }],
  },
  {
    name: "remove",
    summary: "Remove an installed toolchain from the module cache or gtc's store",
    description: "Returns the object `gtc remove --json` prints.",
    errors: toolchainErrors,
    params: {
      type: "object",
      properties: {
        env: toolchainEnvSchema,
        name: { type: "string", minLength: 1, description: 'Toolchain name: "go1.22.5".' },
        source: {
          type: "string",
          enum: ["cache", "godl", "microsoft"],
          description: "Where, when it is in several.",
        },
      },
      required: ["env", "name"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: { removed: { type: "array", items: removedSchema } },
      required: ["removed"],
    },
  },
  {
    name: "gc",
    summary: "Remove toolchains not used within `days` days and selected by no known project",
    description: "Returns the object `gtc gc --json` prints.",
    errors: toolchainErrors,
    params: {
      type: "object",
      properties: {
        env: toolchainEnvSchema,
        days: {
          type: "number",
          minimum: 0,
          description: "Keep what was used within (default 30).",
        },
        dryRun: { type: "boolean", description: "Only say what would be removed." },
      },
      required: ["env"],
      additionalProperties: false,
    },
    result: {
      type: "object",
      properties: {
        dryRun: { type: "boolean" },
        bytes: { type: "integer", description: "Bytes freed (or that would be)." },
        removed: { type: "array", items: removedSchema },
      },
      required: ["dryRun", "bytes", "removed"],
    },
  },
  {
    name: "rpc.discover",
    summary: "This protocol as an OpenRPC document",
    params: none,
    result: { type: "object", description: "OpenRPC 1.2.6 document." },
  },
  {
    name: "changed",
    summary: "Notification: the answer of a subscription changed",
    notification: true,
    params: {
      type: "object",
      properties: {
        subscription: { type: "string" },
        dir: { type: "string" },
        reason: { type: "string", enum: ["file", "rescan", "revalidate"] },
        paths: { type: "array", items: { type: "string" } },
        explanation: explanationRef,
      },
      required: ["subscription", "dir", "reason", "paths", "explanation"],
    },
    result: { type: "null" },
  },
  {
    name: "install.progress",
    summary: "Notification: bytes downloaded so far by an install this connection waits for",
    notification: true,
    params: {
      type: "object",
      properties: {
        name: { type: "string" },
        bytes: { type: "integer" },
        total: { type: ["integer", "null"] },
      },
      required: ["name", "bytes", "total"],
    },
    result: { type: "null" },
  },
  {
    name: "rescan",
    summary:
      "Notification: the watcher overflowed or failed; every answer was recomputed and changed ones notified",
    notification: true,
    params: {
      type: "object",
      properties: { reason: { type: "string" } },
      required: ["reason"],
    },
    result: { type: "null" },
  },
];

/** method returns the descriptor of name, or undefined. */
export function method(name: string): MethodDescriptor | undefined {
  return methods.find((m) => m.name === name);
}

const explanationSchema: Schema = {
  type: "object",
  description: "The answer: the object `gtc why --json` prints (lib/resolve/resolve.ts).",
  properties: {
    dir: { type: "string" },
    toolchain: { type: ["string", "null"], description: 'Selected toolchain ("go1.22.0").' },
    version: { type: ["string", "null"] },
    source: { type: ["string", "null"], enum: ["local", "path", "cache", "download", null] },
    goroot: { type: ["string", "null"] },
    exe: { type: ["string", "null"] },
    error: { type: ["string", "null"], description: "The go command's exact error text." },
    local: { type: ["object", "null"] },
    gotoolchain: { type: "object" },
    mode: { type: "string" },
    file: { type: ["object", "null"] },
    modules: { type: "boolean" },
    childEnv: { type: ["object", "null"] },
    notices: { type: "array", items: { type: "string" } },
    diagnostics: { type: "array", items: { type: "string" } },
    trace: { type: "array", items: { type: "object" } },
  },
  required: ["dir", "toolchain", "error", "trace"],
};

/** discover returns the OpenRPC document for the method table. */
export function discover(version: string): Record<string, unknown> {
  const calls = methods.filter((m) => !m.notification);
  return {
    openrpc: "1.2.6",
    info: {
      title: "gtc daemon",
      version,
      description:
        `gtc daemon protocol v${PROTOCOL_VERSION}: newline-delimited JSON-RPC 2.0 over a Unix ` +
        `socket; frames up to ${MAX_FRAME_BYTES} bytes, batches up to ${MAX_BATCH} requests. ` +
        `Server notifications: ${
          methods.filter((m) => m.notification).map((m) => m.name).join(", ")
        }.`,
    },
    methods: calls.map((m) => ({
      name: m.name,
      summary: m.summary,
      ...(m.description ? { description: m.description } : {}),
      paramStructure: "by-name",
      params: Object.entries(m.params.properties ?? {}).map(([name, schema]) => ({
        name,
        required: (m.params.required ?? []).includes(name),
        schema,
      })),
      result: { name: `${m.name}Result`, schema: m.result },
      ...(m.notImplemented
        ? {
          errors: [{
            code: ErrorCode.NotImplemented,
            message: `not implemented yet: ${m.notImplemented}`,
          }],
        }
        : m.errors
        ? { errors: m.errors.map((e) => ({ $ref: `#/components/errors/${e}` })) }
        : {}),
    })),
    components: {
      schemas: { Explanation: explanationSchema },
      errors: Object.fromEntries(
        Object.entries(ErrorCode).map(([name, code]) => [name, { code, message: name }]),
      ),
    },
    "x-notifications": methods.filter((m) => m.notification).map((m) => ({
      name: m.name,
      summary: m.summary,
      params: m.params,
    })),
  };
}
