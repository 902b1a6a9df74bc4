/**
 * Tests for get.ts: planGet and applyGet.
 *
 * 1. testdata/get/*.txtar are the go command's own script tests for the go
 *    and toolchain lines (src/cmd/go/testdata/script, go1.26.8), kept as
 *    they are and run by a small interpreter of the script language: env,
 *    cp, rm, mkdir, cat, go get, go mod init/edit, go work init/use/sync/edit,
 *    and the stderr/grep assertions. TESTGO_VERSION sets the local version
 *    and a switch re-runs the command with the toolchain switched to, as
 *    TESTGO_VERSION_SWITCH=switch does.
 * 2. Table tests for the rules in the spec (§8).
 * 3. A differential test against the real `go get` (go >= 1.21), for a
 *    matrix of go.mod files and arguments, with GOTOOLCHAIN=local and a
 *    file:// GOPROXY listing golang.org/toolchain versions. Skipped, with a
 *    message, when no such go is installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { applyGet, type GetInput, planGet, updateWorkGoVersion } from "./get.ts";
import { compare, fromToolchain, isLang } from "../gover/mod.ts";
import {
  addGoStmt,
  addToolchainStmt,
  cleanup,
  dropGoStmt,
  dropToolchainStmt,
  format,
  parse,
  parseWork,
  sortBlocks,
} from "../modfile/mod.ts";

// parseTxtar splits a txtar archive into its comment and sections.
function parseTxtar(text: string): { comment: string; sections: Map<string, string> } {
  const sections = new Map<string, string>();
  let comment = "";
  let name: string | undefined;
  let body: string[] = [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const flush = () => {
    const s = body.map((l) => l + "\n").join("");
    if (name === undefined) comment = s;
    else sections.set(name, s);
  };
  for (const line of lines) {
    const m = /^-- (.+) --$/.exec(line);
    if (m === null) {
      body.push(line);
      continue;
    }
    flush();
    name = m[1];
    body = [];
  }
  flush();
  return { comment, sections };
}

// words splits a script line into arguments, honouring '...' quoting.
function words(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, j);
      i = j;
      inWord = true;
    } else if (c === " " || c === "\t") {
      if (inWord) out.push(cur);
      cur = "";
      inWord = false;
    } else if (c === "#" && !inWord) {
      break;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) out.push(cur);
  return out.map((w) => w.replaceAll("${/}", "/"));
}

// A ScriptRun is the state of one script: files, environment and the
// stderr of the last command.
class ScriptRun {
  files = new Map<string, string>();
  env = new Map<string, string>();
  stderr = "";
  /** Commands run and assertions checked, for the report. */
  counts = { commands: 0, assertions: 0 };

  constructor(readonly available: string[], sections: Map<string, string>) {
    for (const [name, data] of sections) {
      if (name !== "script" && name !== "available") this.files.set(name, data);
    }
  }

  get local(): string {
    const v = this.env.get("TESTGO_VERSION") ?? "go1.21";
    return v.startsWith("go") ? v.slice(2) : v;
  }

  // selected is the version that runs a command reading file: the startup
  // selection (select.ts, spec §6) reduced to what these scripts use, with
  // TESTGO_VERSION_SWITCH=switch turning a switch into a change of version.
  // GOTOOLCHAIN defaults to auto, as in the go command's script tests.
  selected(file: "go.mod" | "go.work"): string {
    const gotoolchain = this.env.get("GOTOOLCHAIN") || "auto";
    if (gotoolchain === "local") return this.local;
    const [name, suffix] = gotoolchain.split("+", 2);
    if (suffix === undefined && name !== "auto" && name !== "path") return fromToolchain(name);
    let min = name === "auto" || name === "path" || name === "local"
      ? this.local
      : fromToolchain(name);
    const text = this.files.get(file);
    if (text === undefined) return min;
    const f = file === "go.work" ? parseWork(file, text) : parse(file, text);
    const tc = f.toolchain?.name;
    if (tc !== undefined && tc !== "default" && compare(fromToolchain(tc), min) > 0) {
      min = fromToolchain(tc);
    }
    const g = f.go?.version;
    if (g !== undefined && compare(g, min) > 0) {
      // "go 1.N" for N >= 21 names a language: the toolchain is go1.N.0.
      min = isLang(g) && compare(g, "1.21") >= 0 ? g + ".0" : g;
    }
    return min;
  }

  read(name: string): string {
    const data = this.files.get(name);
    if (data === undefined) throw new Error(`${name}: no such file`);
    return data;
  }

  base(file: "go.mod" | "go.work"): Omit<GetInput, "file"> {
    return {
      local: this.selected(file),
      available: this.available,
      gotoolchain: this.env.get("GOTOOLCHAIN") ?? "",
    };
  }

  // run runs one line; it throws on a failed assertion or an unexpected
  // command result.
  run(line: string) {
    let args = words(line);
    if (args.length === 0) return;
    let negate = false;
    if (args[0] === "!") {
      negate = true;
      args = args.slice(1);
    }
    const [cmd, ...rest] = args;
    switch (cmd) {
      case "env": {
        const [k, v] = rest[0].split("=", 2);
        this.env.set(k, v);
        return;
      }
      case "cp":
        this.files.set(rest[1], this.read(rest[0]));
        return;
      case "rm":
        this.files.delete(rest[0]);
        return;
      case "mkdir":
      case "cat":
        return;
      case "stderr": {
        this.counts.assertions++;
        const ok = new RegExp(rest[0], "m").test(this.stderr);
        assert.equal(ok, !negate, `${line}\nstderr:\n${this.stderr}`);
        return;
      }
      case "grep": {
        this.counts.assertions++;
        const ok = new RegExp(rest[0], "m").test(this.read(rest[1]));
        assert.equal(ok, !negate, `${line}\n${rest[1]}:\n${this.read(rest[1])}`);
        return;
      }
      case "go": {
        this.counts.commands++;
        const ok = this.goCommand(rest);
        assert.equal(
          ok,
          !negate,
          `${line}: ${ok ? "succeeded" : "failed"}\nstderr:\n${this.stderr}`,
        );
        return;
      }
    }
    throw new Error(`unsupported script command: ${line}`);
  }

  // goCommand runs a go command and reports whether it succeeded.
  goCommand(args: string[]): boolean {
    this.stderr = "";
    const [sub, verb, ...rest] = args;
    let dir = "";
    if (rest[0] === "-C") {
      dir = rest[1] + "/";
      rest.splice(0, 2);
    }
    const flag = (name: string) =>
      rest.find((a) => a.startsWith(`-${name}=`))?.slice(name.length + 2);
    if (sub === "get" || (sub === "mod" && verb === "get")) {
      const getArgs = sub === "get" ? [verb, ...rest] : rest;
      const text = this.read("go.mod");
      const f = parse("go.mod", text);
      const plan = planGet({
        ...this.base("go.mod"),
        file: "go.mod",
        go: f.go?.version,
        toolchain: f.toolchain?.name,
        args: getArgs,
      });
      this.stderr = plan.stderr.map((l) => l + "\n").join("");
      if (!plan.failed) this.files.set("go.mod", applyGet(text, plan, "go.mod"));
      return !plan.failed;
    }
    if (sub === "mod" && verb === "init") {
      this.files.set(`${dir}go.mod`, `module ${dir.slice(0, -1) || "m"}\n\ngo ${this.local}\n`);
      return true;
    }
    if (sub === "mod" && verb === "edit") {
      const name = `${dir}go.mod`;
      const f = parse(name, this.read(name));
      editLines(f, flag("go"), flag("toolchain"));
      this.files.set(name, format(f.syntax));
      return true;
    }
    if (sub === "work" && verb === "edit") {
      const f = parseWork("go.work", this.read("go.work"));
      editLines(f, flag("go"), flag("toolchain"));
      let text = format(f.syntax);
      const use = flag("use");
      if (use !== undefined) text += `\nuse ${use}\n`;
      this.files.set("go.work", format(parseWork("go.work", text).syntax));
      return true;
    }
    if (sub === "work" && (verb === "init" || verb === "use" || verb === "sync")) {
      const text = verb === "init" ? "" : this.read("go.work");
      const wf = parseWork("go.work", text);
      const uses = wf.use.map((u) => u.path);
      const added = verb === "sync" ? [] : rest.filter((d) => !uses.includes(d));
      const dirs = verb === "init" ? rest : [...uses, ...added];
      const modules = dirs.map((d) => {
        const clean = d.replace(/^\.\//, "");
        return { dir: clean, go: parse("go.mod", this.read(`${clean}/go.mod`)).go?.version };
      });
      const plan = planGet({
        ...this.base("go.work"),
        file: "go.work",
        go: wf.go?.version,
        toolchain: wf.toolchain?.name,
        work: { command: verb, modules },
      });
      this.stderr = plan.stderr.map((l) => l + "\n").join("");
      if (plan.failed) return false;
      let out = applyGet(text, plan, "go.work");
      // The use lines themselves are not planGet's business.
      for (const d of added) out += `\nuse ${d}\n`;
      this.files.set("go.work", format(parseWork("go.work", out).syntax));
      return true;
    }
    throw new Error(`unsupported go command: go ${args.join(" ")}`);
  }
}

// editLines applies -go and -toolchain as go mod edit and go work edit do.
function editLines(
  f: Parameters<typeof addGoStmt>[0],
  go: string | undefined,
  toolchain: string | undefined,
) {
  if (go === "none") dropGoStmt(f);
  else if (go !== undefined) addGoStmt(f, go);
  if (toolchain === "none") dropToolchainStmt(f);
  else if (toolchain !== undefined) addToolchainStmt(f, toolchain);
  cleanup(f);
}

const scriptDir = new URL("./testdata/get/", import.meta.url);

Deno.test("planGet() passes the go command's script tests", async (t) => {
  const names = [...Deno.readDirSync(scriptDir)].map((e) => e.name).filter((n) =>
    n.endsWith(".txtar")
  ).sort();
  for (const name of names) {
    const { sections } = parseTxtar(Deno.readTextFileSync(new URL(name, scriptDir)));
    const available = sections.get("available")!.trim().split(/\s+/);
    const script = sections.get("script")!;
    await t.step(name, async (t) => {
      const run = new ScriptRun(available, sections);
      for (const [i, line] of script.split("\n").entries()) {
        const trimmed = line.trim();
        if (trimmed === "" || trimmed.startsWith("#")) continue;
        await t.step(`${i + 1}: ${trimmed}`, () => run.run(trimmed));
      }
      console.log(
        `${name}: ${run.counts.commands} go commands, ${run.counts.assertions} assertions`,
      );
    });
  }
});

// The rules of spec §8, one row each. available is the test proxy's list.
const available = [
  "1.18.9",
  "1.20.14",
  "1.21.0",
  "1.21.13",
  "1.22rc1",
  "1.22.0",
  "1.22.1",
  "1.22.9",
  "1.23.0",
  "1.23.9",
  "1.24rc1",
];

interface GetTest {
  name: string;
  go?: string;
  toolchain?: string;
  args: string[];
  local?: string;
  gotoolchain?: string;
  stderr: string[];
  failed?: boolean;
  wantGo?: string;
  wantToolchain?: string;
}

const getTests: GetTest[] = [
  {
    name: "1.N is the latest 1.N.x release",
    go: "1.21",
    args: ["go@1.22"],
    stderr: ["go: upgraded go 1.21 => 1.22.9"],
    wantGo: "1.22.9",
  },
  {
    name: "1.N never matches 1.Nrc1",
    go: "1.21",
    args: ["go@1.24"],
    stderr: ['go: go@1.24: no matching versions for query "1.24"'],
    failed: true,
  },
  {
    name: "latest prefers releases",
    go: "1.21",
    args: ["go@latest"],
    stderr: ["go: upgraded go 1.21 => 1.23.9"],
    wantGo: "1.23.9",
  },
  {
    name: "go@none is an error",
    go: "1.21",
    args: ["go@none"],
    stderr: ["go: cannot use go@none"],
    failed: true,
  },
  {
    name: "toolchain@none drops the line",
    go: "1.21",
    toolchain: "go1.22.1",
    args: ["toolchain@none"],
    stderr: ["go: removed toolchain go1.22.1"],
    wantGo: "1.21",
  },
  {
    name: "raising go raises the toolchain, which the go line then implies",
    go: "1.21",
    toolchain: "go1.22.1",
    args: ["go@1.23"],
    stderr: ["go: upgraded go 1.21 => 1.23.9", "go: removed toolchain go1.22.1"],
    wantGo: "1.23.9",
  },
  {
    name: "lowering the toolchain lowers go",
    go: "1.23.9",
    args: ["toolchain@go1.22.1"],
    stderr: ["go: downgraded go 1.23.9 => 1.22.1"],
    wantGo: "1.22.1",
  },
  {
    name: "lowering go below a toolchain line leaves the line alone",
    go: "1.23.9",
    toolchain: "go1.23.9",
    args: ["go@1.22.1"],
    stderr: ["go: downgraded go 1.23.9 => 1.22.1"],
    wantGo: "1.22.1",
    wantToolchain: "go1.23.9",
  },
  {
    name: "lowering go keeps the toolchain the old go line implied, if there is a toolchain line",
    go: "1.22.0",
    toolchain: "go1.21.0",
    args: ["go@1.20"],
    stderr: ["go: downgraded go 1.22.0 => 1.20", "go: upgraded toolchain go1.21.0 => go1.22.0"],
    wantGo: "1.20",
    wantToolchain: "go1.22.0",
  },
  {
    name: "an explicit toolchain below 1.21 is kept",
    go: "1.20",
    args: ["toolchain@go1.20.14"],
    stderr: ["go: added toolchain go1.20.14"],
    wantGo: "1.20",
    wantToolchain: "go1.20.14",
  },
  {
    name: "go and toolchain that conflict",
    go: "1.21",
    args: ["go@1.23", "toolchain@go1.22.1"],
    stderr: ["go: go@1.23 (1.23.9) requires toolchain@go1.23.9, not toolchain@go1.22.1"],
    failed: true,
  },
  {
    name: "go newer than local: TooNewError",
    go: "1.21",
    local: "1.22.1",
    gotoolchain: "local",
    args: ["go@1.23.0"],
    stderr: ["go: updating go.mod requires go >= 1.23.0 (running go 1.22.1; GOTOOLCHAIN=local)"],
    failed: true,
  },
  {
    name: "go newer than local with GOTOOLCHAIN=auto: switch",
    go: "1.21",
    local: "1.22.1",
    gotoolchain: "auto",
    args: ["go@1.23.0"],
    stderr: [
      "go: updating go.mod requires go >= 1.23.0; switching to go1.23.9",
      "go: upgraded go 1.21 => 1.23.0",
    ],
    wantGo: "1.23.0",
  },
  {
    name: "a missing go line is added at the local version first",
    args: ["toolchain@go1.22.1"],
    local: "1.23.9",
    stderr: ["go: downgraded go 1.23.9 => 1.22.1"],
    wantGo: "1.22.1",
  },
  {
    name: "crossing 1.17 prints the note",
    go: "1.16",
    args: ["go@1.21.0"],
    stderr: [
      "go: upgraded go 1.16 => 1.21.0",
      "\tnote: expanded dependencies to upgrade to go 1.17 or higher; run 'go mod tidy' to clean up",
    ],
    wantGo: "1.21.0",
  },
  {
    name: "a language version that is not local",
    go: "1.21",
    args: ["go@go1.30"],
    local: "1.23.9",
    stderr: ["go: go language version go1.30 is not a toolchain version"],
    failed: true,
  },
  {
    name: "invalid go version",
    go: "1.21",
    args: ["go@garbage"],
    stderr: ["go: invalid go version garbage"],
    failed: true,
  },
  {
    name: "patch with no toolchain to patch",
    go: "1.20",
    args: ["toolchain@patch"],
    stderr: [
      `go: can't query version "patch" of module toolchain: no existing version is required`,
    ],
    failed: true,
  },
];

Deno.test("planGet() follows the rules of go get", async (t) => {
  for (const row of getTests) {
    await t.step(`${row.name}: go get ${row.args.join(" ")}`, () => {
      const p = planGet({
        file: "go.mod",
        go: row.go,
        toolchain: row.toolchain,
        args: row.args,
        local: row.local ?? "1.23.9",
        available,
        gotoolchain: row.gotoolchain ?? "local",
      });
      assert.deepEqual(p.stderr, row.stderr);
      assert.equal(p.failed, row.failed ?? false);
      if (!p.failed) {
        assert.equal(p.go, row.wantGo);
        assert.equal(p.toolchain, row.wantToolchain);
      }
    });
  }
});

// updateWorkGoVersionTests: modload.UpdateWorkGoVersion's drop rules.
const updateWorkGoVersionTests: [
  work: { go?: string; toolchain?: string },
  goVers: string,
  want: { changed: boolean; go?: string; toolchain?: string },
][] = [
  [{ go: "1.22" }, "1.21", { changed: false, go: "1.22" }],
  [{ go: "1.22", toolchain: "go1.20" }, "1.22", {
    changed: false,
    go: "1.22",
    toolchain: "go1.20",
  }],
  [{}, "1.18", { changed: false }],
  [{}, "1.23", { changed: true, go: "1.23", toolchain: undefined }],
  // work_get_toolchain.txt: go get raised go.mod to go 1.23; go.work follows.
  [{ go: "1.18" }, "1.23", { changed: true, go: "1.23", toolchain: undefined }],
  [{ go: "1.21", toolchain: "go1.22.1" }, "1.22.1", {
    changed: true,
    go: "1.22.1",
    toolchain: undefined,
  }],
  [{ go: "1.21", toolchain: "go1.22.1" }, "1.22.3", {
    changed: true,
    go: "1.22.3",
    toolchain: undefined,
  }],
  [{ go: "1.21", toolchain: "go1.24.0" }, "1.22.3", {
    changed: true,
    go: "1.22.3",
    toolchain: "go1.24.0",
  }],
  [{ go: "1.17", toolchain: "go1.20.1" }, "1.19", {
    changed: true,
    go: "1.19",
    toolchain: undefined,
  }],
  [{ go: "1.21", toolchain: "default" }, "1.22", {
    changed: true,
    go: "1.22",
    toolchain: undefined,
  }],
];

Deno.test("updateWorkGoVersion() raises go and drops stale toolchains", async (t) => {
  for (const [work, goVers, want] of updateWorkGoVersionTests) {
    await t.step(`updateWorkGoVersion(${JSON.stringify(work)}, ${goVers})`, () => {
      assert.deepEqual(updateWorkGoVersion(work, goVers), want);
    });
  }
});

Deno.test("applyGet() edits only the go and toolchain lines", () => {
  const text = "// The module.\nmodule m // mine\n\n// language\ngo 1.21 // lang\n\n" +
    "require (\n\ta v1.0.0\n\tb v1.0.0 // indirect\n)\n";
  const plan = planGet({
    file: "go.mod",
    go: "1.21",
    args: ["go@1.22", "toolchain@go1.23.9"],
    local: "1.23.9",
    available,
  });
  assert.deepEqual(plan.stderr, ["go: upgraded go 1.21 => 1.22.9", "go: added toolchain go1.23.9"]);
  assert.equal(
    applyGet(text, plan, "go.mod"),
    "// The module.\nmodule m // mine\n\n// language\ngo 1.22.9 // lang\n\ntoolchain go1.23.9\n\n" +
      "require (\n\ta v1.0.0\n\tb v1.0.0 // indirect\n)\n",
  );
  // Nothing to do: the file is left as it is, formatting and all.
  const same = planGet({
    file: "go.mod",
    go: "1.21",
    args: ["toolchain@none"],
    local: "1.23.9",
    available,
  });
  assert.equal(same.write, false);
  assert.equal(applyGet("module m\ngo   1.21\n", same, "go.mod"), "module m\ngo   1.21\n");
});

// The real go command, when there is one (go >= 1.21).

function findGo(): { path: string; version: string } | undefined {
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter((d) => d !== "");
  for (const path of [...dirs.map((d) => `${d}/go`), "/usr/local/go/bin/go"]) {
    try {
      const out = new Deno.Command(path, {
        args: ["env", "GOVERSION"],
        env: { GOTOOLCHAIN: "local", GOENV: "off" },
        stdout: "piped",
        stderr: "null",
      }).outputSync();
      const v = new TextDecoder().decode(out.stdout).trim();
      const m = /^go(1\.(\d+)(\.\d+)?)$/.exec(v);
      if (out.success && m && Number(m[2]) >= 21) return { path, version: m[1] };
    } catch {
      // Not there or not runnable: try the next one.
    }
  }
  return undefined;
}

const go = findGo();

// The golang.org/toolchain versions the differential proxy serves (linux-amd64).
const diffAvailable = [
  "1.18",
  "1.18.1",
  "1.18.9",
  "1.20.14",
  "1.21.0",
  "1.21.13",
  "1.22rc1",
  "1.22.0",
  "1.22.1",
  "1.22.9",
  "1.23.0",
  "1.23.5",
  "1.23.9",
  "1.24rc1",
  "1.24.0",
  "1.24.3",
  "1.25rc2",
  "1.27rc1",
  "1.27.0",
  "1.999testmod",
];

const inputs: Record<string, string> = {
  "no go line": "module m\n",
  "go 1.10": "module m\n\ngo 1.10\n",
  "go 1.16": "module m\n\ngo 1.16\n",
  "go 1.20": "module m\n\ngo 1.20\n",
  "go 1.21": "module m\n\ngo 1.21\n",
  "go 1.21 toolchain go1.22.1": "module m\n\ngo 1.21\n\ntoolchain go1.22.1\n",
  "go 1.22.1 toolchain go1.23.5 commented":
    "// The module.\nmodule m // mine\n\n// language\ngo 1.22.1 // lang\n\n// why\ntoolchain go1.23.5 // pinned\n",
  "go 1.23.9": "module m\n\ngo 1.23.9\n",
  "toolchain default": "module m\n\ngo 1.21\n\ntoolchain default\n",
  "toolchain below go": "module m\n\ngo 1.22.0\ntoolchain go1.21.0\n",
  "go 1.24rc1": "module m\n\ngo 1.24rc1\n",
  "go newer than local": "module m\n\ngo 1.27.0\n",
  "go and requires": "module m\n\ngo 1.21\n\nrequire (\n)\n\n// tail\n",
};

const argSets: string[][] = [
  ["go"],
  ["toolchain"],
  ["go@latest"],
  ["toolchain@latest"],
  ["go@upgrade"],
  ["go@patch"],
  ["toolchain@patch"],
  ["go@1.22"],
  ["go@1.23"],
  ["go@1.24"],
  ["go@1.25"],
  ["go@1.27"],
  ["go@1.27.0"],
  ["go@1.19"],
  ["go@1.20"],
  ["go@1.21"],
  ["go@1.22.4"],
  ["toolchain@go1.22.4"],
  ["toolchain@go1.22"],
  ["toolchain@1.23.9"],
  ["toolchain@go1.20.14"],
  ["toolchain@none"],
  ["go@none"],
  ["go@garbage"],
  ["go@go1.21.0"],
  ["toolchain@go1.24rc1"],
  ["go@1.22.1", "toolchain@go1.23.0"],
  ["go@1.23", "toolchain@go1.22.1"],
  ["go@1.23.9", "toolchain@none"],
  ["toolchain@go1.27.0"],
  ["go@1.21", "toolchain@go1.21.0"],
  ["go@>=1.22"],
  ["go@<1.23"],
  ["toolchain@go1.30"],
  ["go@go1.30"],
];

Deno.test({
  name: "planGet() and applyGet() agree with the real go get",
  ignore: go === undefined,
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-get-gocmd-" });
    try {
      const proxy = `${dir}/proxy`;
      const v = `${proxy}/golang.org/toolchain/@v`;
      Deno.mkdirSync(v, { recursive: true });
      Deno.writeTextFileSync(
        `${v}/list`,
        diffAvailable.map((a) => `v0.0.1-go${a}.linux-amd64\n`).join(""),
      );
      for (const a of diffAvailable) {
        const dl = `v0.0.1-go${a}.linux-amd64`;
        Deno.writeTextFileSync(
          `${v}/${dl}.info`,
          JSON.stringify({ Version: dl, Time: "2023-08-01T00:00:00Z" }),
        );
      }
      const statError = (dl: string) =>
        `golang.org/toolchain@${dl}: reading file://${proxy}/golang.org/toolchain/@v/${dl}.info: no such file or directory`;

      let n = 0;
      const jobs: { name: string; input: string; args: string[] }[] = [];
      for (const [name, input] of Object.entries(inputs)) {
        for (const args of argSets) jobs.push({ name, input, args });
      }
      const runs = await pool(jobs, 8, async (job) => {
        const m = `${dir}/m${n++}`;
        Deno.mkdirSync(m);
        Deno.writeTextFileSync(`${m}/go.mod`, job.input);
        const out = await new Deno.Command(go!.path, {
          args: ["get", ...job.args],
          cwd: m,
          clearEnv: true,
          env: {
            PATH: "/usr/bin:/bin",
            HOME: dir,
            GOPATH: `${dir}/gopath`,
            GOMODCACHE: `${dir}/modcache`,
            GOCACHE: `${dir}/cache`,
            GOTOOLCHAIN: "local",
            GOPROXY: `file://${proxy}`,
            GOSUMDB: "off",
            GOFLAGS: "-mod=mod",
            GOENV: "off",
          },
          stdout: "piped",
          stderr: "piped",
        }).output();
        return {
          ok: out.success,
          stderr: new TextDecoder().decode(out.stderr),
          gomod: Deno.readTextFileSync(`${m}/go.mod`),
        };
      });
      let failures = 0;
      for (const [i, job] of jobs.entries()) {
        const real = runs[i];
        await t.step(`${job.name}: go get ${job.args.join(" ")}`, () => {
          const goLine = /^go (\S+)/m.exec(job.input)?.[1];
          const tcLine = /^toolchain (\S+)/m.exec(job.input)?.[1];
          const plan = planGet({
            file: "go.mod",
            go: goLine,
            toolchain: tcLine,
            args: job.args,
            local: go!.version,
            available: diffAvailable,
            gotoolchain: "local",
            statError,
          });
          try {
            assert.equal(plan.stderr.map((l) => l + "\n").join(""), real.stderr);
            assert.equal(!plan.failed, real.ok);
            assert.equal(applyGet(job.input, plan, "go.mod"), real.gomod);
          } catch (e) {
            failures++;
            throw e;
          }
        });
      }
      console.log(`get differential: ${jobs.length} go get runs, ${failures} disagreements`);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

if (go === undefined) {
  console.log("get_test.ts: skipping the go get comparison: no go >= 1.21 found");
}

async function pool<T, R>(items: T[], n: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]);
      }
    }),
  );
  return out;
}

// workDiffTests: a go.work, modules with their go lines, and a go work
// command, run by the real go command with GOTOOLCHAIN=local.
const workDiffTests: {
  name: string;
  work: string;
  modules: Record<string, string>;
  command: "use" | "sync";
  args: string[];
}[] = [
  {
    name: "use raises go and drops the implied toolchain",
    work: "go 1.21\n\ntoolchain go1.22.1\n",
    modules: { a: "1.22.1" },
    command: "use",
    args: ["./a"],
  },
  {
    name: "use keeps a newer toolchain",
    work: "// ws\ngo 1.21\n\ntoolchain go1.25.0\n",
    modules: { a: "1.22.1" },
    command: "use",
    args: ["./a"],
  },
  {
    name: "use with an older module changes nothing but the use lines",
    work: "go 1.23.0\n\ntoolchain go1.22.1\n",
    modules: { a: "1.21" },
    command: "use",
    args: ["./a"],
  },
  {
    name: "use adds a go line to a go.work without one",
    work: "use ./a\n",
    modules: { a: "1.22.0", b: "1.10" },
    command: "use",
    args: ["./b"],
  },
  {
    name: "use with a module newer than local fails",
    work: "go 1.21\n",
    modules: { a: "1.99.0" },
    command: "use",
    args: ["./a"],
  },
  {
    name: "sync raises go",
    work: "go 1.21\n\ntoolchain go1.21.5\n\nuse (\n\t./a\n\t./b\n)\n",
    modules: { a: "1.22.3", b: "1.23.0" },
    command: "sync",
    args: [],
  },
  {
    name: "sync with modules newer than local fails for each",
    work: "go 1.21\n\nuse (\n\t./a\n\t./b\n)\n",
    modules: { a: "1.99.0", b: "1.98.1" },
    command: "sync",
    args: [],
  },
];

Deno.test({
  name: "planGet() and applyGet() agree with the real go work use and sync",
  ignore: go === undefined,
  async fn(t) {
    const dir = Deno.makeTempDirSync({ prefix: "gtc-work-gocmd-" });
    try {
      for (const [i, row] of workDiffTests.entries()) {
        await t.step(row.name, () => {
          const w = `${dir}/w${i}`;
          Deno.mkdirSync(w);
          Deno.writeTextFileSync(`${w}/go.work`, row.work);
          for (const [m, v] of Object.entries(row.modules)) {
            Deno.mkdirSync(`${w}/${m}`);
            Deno.writeTextFileSync(`${w}/${m}/go.mod`, `module example.com/${m}\n\ngo ${v}\n`);
          }
          const out = new Deno.Command(go!.path, {
            args: ["work", row.command, ...row.args],
            cwd: w,
            clearEnv: true,
            env: {
              PATH: "/usr/bin:/bin",
              HOME: dir,
              GOPATH: `${dir}/gopath`,
              GOMODCACHE: `${dir}/modcache`,
              GOCACHE: `${dir}/cache`,
              GOTOOLCHAIN: "local",
              GOPROXY: "off",
              GOFLAGS: "-mod=mod",
              GOENV: "off",
            },
            stdout: "piped",
            stderr: "piped",
          }).outputSync();
          const realStderr = new TextDecoder().decode(out.stderr);
          const realWork = Deno.readTextFileSync(`${w}/go.work`);

          const wf = parseWork("go.work", row.work);
          const uses = wf.use.map((u) => u.path);
          const added = row.args.filter((a) => !uses.includes(a));
          const plan = planGet({
            file: "go.work",
            go: wf.go?.version,
            toolchain: wf.toolchain?.name,
            work: {
              command: row.command,
              modules: [...uses, ...added].map((d) => {
                const m = d.replace(/^\.\//, "");
                return { dir: m, go: row.modules[m] };
              }),
            },
            local: go!.version,
            available: [],
            gotoolchain: "local",
          });
          assert.equal(plan.stderr.map((l) => l + "\n").join(""), realStderr);
          assert.equal(!plan.failed, out.success);
          if (plan.failed) return;
          // The use lines are the caller's: add them as go work use does.
          let text = applyGet(row.work, plan, "go.work");
          for (const d of added) text += `\nuse ${d}\n`;
          const f = parseWork("go.work", text);
          sortBlocks(f);
          cleanup(f);
          const got = format(f.syntax);
          // Compare the go and toolchain lines; go work use may also group
          // use lines into a block, which is not planGet's business.
          const lines = (s: string) => s.split("\n").filter((l) => /^(go|toolchain) /.test(l));
          assert.deepEqual(lines(got), lines(realWork));
        });
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
