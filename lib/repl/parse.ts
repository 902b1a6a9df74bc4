/**
 * The REPL's command language: one command per line, words split on white
 * space, with '…' and "…" quoting and backslash escapes as in a POSIX shell
 * (no expansion). parseCommand turns a line into a Command or a usage error;
 * it reads nothing and changes nothing.
 *
 * @module
 */

/** Which go file a `mod`/`work` edit applies to. */
export type EditTarget = "go.mod" | "go.work";

/** An in-memory edit of a go.mod or go.work file, as `go mod edit` / `go work edit` would make it. */
export type FileEdit =
  | { op: "go"; version: string }
  | { op: "toolchain"; name: string }
  | { op: "drop"; line: "go" | "toolchain" }
  | { op: "show" }
  | { op: "reset" };

/** A parsed REPL line. */
export type Command =
  | { kind: "empty" }
  | { kind: "why"; dir?: string; quiet: boolean; json: boolean }
  | { kind: "cd"; dir?: string }
  | { kind: "pwd" }
  | { kind: "set"; key: string; value: string }
  | { kind: "unset"; key: string }
  | { kind: "edit"; target: EditTarget; edit: FileEdit }
  | { kind: "changes" }
  | { kind: "reset" }
  | { kind: "env"; keys: string[]; json: boolean }
  | { kind: "install"; name?: string; source?: string }
  | { kind: "list"; args: string[] }
  | { kind: "echo"; text: string }
  | { kind: "help"; topic?: string }
  | { kind: "exit" }
  | { kind: "error"; message: string };

/** One command of the language, for help and completion. */
export interface CommandHelp {
  name: string;
  usage: string;
  summary: string;
}

/** The commands, in the order help lists them. */
export const commands: readonly CommandHelp[] = [
  { name: "why", usage: "why [dir] [-q] [--json]", summary: "which toolchain runs here, and why" },
  { name: "cd", usage: "cd [dir]", summary: "change the directory evaluated" },
  { name: "pwd", usage: "pwd", summary: "print the directory evaluated" },
  {
    name: "set",
    usage: "set KEY=VALUE",
    summary: "what if KEY were set to VALUE (environment; nothing changes outside the session)",
  },
  { name: "unset", usage: "unset KEY", summary: "what if KEY were not in the environment" },
  {
    name: "mod",
    usage: "mod go V | mod toolchain NAME | mod drop go|toolchain | mod show | mod reset",
    summary: "what if the go.mod governing this directory had this line (in memory only)",
  },
  {
    name: "work",
    usage: "work go V | work toolchain NAME | work drop go|toolchain | work show | work reset",
    summary: "the same for the go.work in use",
  },
  { name: "changes", usage: "changes", summary: "list the what-if changes in effect" },
  { name: "reset", usage: "reset", summary: "drop every what-if change" },
  {
    name: "env",
    usage: "env [KEY...] [--json]",
    summary: "the Go settings and where each comes from",
  },
  {
    name: "install",
    usage: "install [NAME] [--source goproxy|godl|microsoft]",
    summary: "install a toolchain (default: the one selected here, what-ifs included)",
  },
  {
    name: "list",
    usage: "list [--remote] [--source S] [--all] [--json]",
    summary: "list installed toolchains (gtc list)",
  },
  { name: "echo", usage: "echo TEXT", summary: "print TEXT (for scripts)" },
  { name: "help", usage: "help [command]", summary: "this list, or one command's usage" },
  { name: "exit", usage: "exit", summary: "leave (also quit, Ctrl-D)" },
];

/** commandNames lists the command words, aliases included. */
export const commandNames: readonly string[] = [...commands.map((c) => c.name), "quit"];

/**
 * splitWords splits a line into words the way a POSIX shell does without
 * expansions: blanks separate words, '…' keeps everything literally, "…"
 * honours \\ \" \$ \` escapes, and an unquoted backslash escapes the next
 * character.
 *
 * @throws {Error} "unterminated quote" for an open ' or ".
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error("unterminated quote");
      cur += line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === "\\" && j + 1 < line.length && '\\"$`'.includes(line[j + 1])) j++;
        cur += line[j];
      }
      if (j >= line.length) throw new Error("unterminated quote");
      i = j;
    } else if (c === "\\") {
      if (i + 1 < line.length) cur += line[++i];
    } else {
      cur += c;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

function usage(name: string): Command {
  const c = commands.find((c) => c.name === name);
  return { kind: "error", message: `usage: ${c?.usage ?? name}` };
}

/** isEnvKey reports whether key can name an environment variable. */
export function isEnvKey(key: string): boolean {
  return key !== "" && !key.includes("=") && !/[\s\0]/.test(key);
}

/** parseCommand parses one REPL line. */
export function parseCommand(line: string): Command {
  let words: string[];
  try {
    words = splitWords(line);
  } catch (e) {
    return { kind: "error", message: (e as Error).message };
  }
  if (words.length === 0 || words[0].startsWith("#")) return { kind: "empty" };
  const [cmd, ...args] = words;
  switch (cmd) {
    case "why": {
      let dir: string | undefined;
      let quiet = false;
      let json = false;
      for (const a of args) {
        if (a === "-q" || a === "--quiet") quiet = true;
        else if (a === "--json") json = true;
        else if (a.startsWith("-")) return { kind: "error", message: `why: unknown flag ${a}` };
        else if (dir === undefined) dir = a;
        else return usage("why");
      }
      return { kind: "why", dir, quiet, json };
    }
    case "cd":
      if (args.length > 1) return usage("cd");
      return { kind: "cd", dir: args[0] };
    case "pwd":
    case "changes":
    case "reset":
      if (args.length > 0) return usage(cmd);
      return { kind: cmd };
    case "set": {
      let key: string;
      let value: string;
      if (args.length === 1 && args[0].includes("=")) {
        const i = args[0].indexOf("=");
        key = args[0].slice(0, i);
        value = args[0].slice(i + 1);
      } else if (args.length === 2 && !args[0].includes("=")) {
        [key, value] = args;
      } else {
        return usage("set");
      }
      if (!isEnvKey(key)) {
        return { kind: "error", message: `set: invalid name ${JSON.stringify(key)}` };
      }
      return { kind: "set", key, value };
    }
    case "unset":
      if (args.length !== 1) return usage("unset");
      if (!isEnvKey(args[0])) {
        return { kind: "error", message: `unset: invalid name ${JSON.stringify(args[0])}` };
      }
      return { kind: "unset", key: args[0] };
    case "mod":
    case "work":
      return parseEdit(cmd === "mod" ? "go.mod" : "go.work", cmd, args);
    case "env": {
      const json = args.includes("--json");
      const keys = args.filter((a) => a !== "--json");
      const bad = keys.find((k) => k.startsWith("-"));
      if (bad !== undefined) return { kind: "error", message: `env: unknown flag ${bad}` };
      return { kind: "env", keys, json };
    }
    case "install": {
      let name: string | undefined;
      let source: string | undefined;
      for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === "--source" && i + 1 < args.length) source = args[++i];
        else if (a.startsWith("--source=")) source = a.slice("--source=".length);
        else if (a.startsWith("-") || name !== undefined) return usage("install");
        else name = a;
      }
      if (source !== undefined && !["goproxy", "godl", "microsoft"].includes(source)) {
        return {
          kind: "error",
          message: `install: --source ${source}: want goproxy, godl or microsoft`,
        };
      }
      return { kind: "install", name, source };
    }
    case "list":
      return { kind: "list", args };
    case "echo":
      return { kind: "echo", text: args.join(" ") };
    case "help":
      if (args.length > 1) return usage("help");
      return { kind: "help", topic: args[0] };
    case "exit":
    case "quit":
      return { kind: "exit" };
    default:
      return { kind: "error", message: `unknown command ${JSON.stringify(cmd)} (try help)` };
  }
}

// parseEdit reads `mod …` / `work …`. As `go mod edit -go=none` and
// `-toolchain=none` do, the value "none" drops the line.
function parseEdit(target: EditTarget, cmd: string, args: string[]): Command {
  const [op, value, ...rest] = args;
  if (rest.length > 0) return usage(cmd);
  switch (op) {
    case "go":
      if (value === undefined) return usage(cmd);
      return {
        kind: "edit",
        target,
        edit: value === "none" ? { op: "drop", line: "go" } : { op: "go", version: value },
      };
    case "toolchain":
      if (value === undefined) return usage(cmd);
      return {
        kind: "edit",
        target,
        edit: value === "none"
          ? { op: "drop", line: "toolchain" }
          : { op: "toolchain", name: value },
      };
    case "drop":
      if (value !== "go" && value !== "toolchain") return usage(cmd);
      return { kind: "edit", target, edit: { op: "drop", line: value } };
    case "show":
    case "reset":
      if (value !== undefined) return usage(cmd);
      return { kind: "edit", target, edit: { op } };
    default:
      return usage(cmd);
  }
}
