/**
 * `gtc get go@… toolchain@…` as data in, texts out: gathers what planGet
 * needs from disk (the go.mod around the directory, the go.work that
 * governs it and the modules it uses, the versions the GOPROXY offers) and
 * returns the new texts, writing nothing. The CLI writes them; the language
 * server turns them into a workspace edit the editor applies.
 *
 * @module
 */

import { clean, dirname, isAbs, join } from "../_internal/path.ts";
import { denoFs } from "../host/fs.ts";
import { denoHost } from "../host/host.ts";
import { hostGoproxyDeps } from "../host/install_deps.ts";
import { listToolchainVersions } from "../install/mod.ts";
import { findGoMod, findGoWork, parse, parseWork } from "../modfile/mod.ts";
import type { Explanation } from "../resolve/mod.ts";
import {
  applyGet,
  applyGetWork,
  autoToolchainVersions,
  type GetPlan,
  type GetWorkspace,
  planGet,
  shortPath,
  type WorkModule,
} from "../toolchain/mod.ts";
import { OpError } from "./commands.ts";
import { goEnvOf } from "./toolchains.ts";

/** What prepareGet is asked. */
export interface GetRequest {
  /** The `go get` arguments: go, toolchain, go@Q, toolchain@Q. */
  args: readonly string[];
  /** The environment the go command would run in. */
  env: Record<string, string>;
  /** The answer for the directory (`gtc why`): its dir, local go and consulted file. */
  explanation: Explanation;
  /**
   * Reads a file's text; default: from disk. The language server passes the
   * editor's buffers so the edit applies to what the user sees.
   */
  readText?: (path: string) => string;
  /**
   * The golang.org/toolchain module versions the GOPROXY lists; default:
   * asked from the GOPROXY each time.
   */
  listVersions?: () => Promise<string[]>;
}

/** The outcome: the plan and the files' old and new texts. */
export interface GetOutcome {
  plan: GetPlan;
  /** The go.mod's path, text before and after (equal when nothing changes). */
  file: string;
  text: string;
  newText: string;
  /** The go.work that follows, when one governs the directory and parses. */
  work?: { file: string; text: string; newText: string };
}

/**
 * prepareGet plans `go get` for args in x.dir and applies the plan to the
 * texts. It throws OpError for a request the go command cannot start on
 * (no go.mod, no local go, an unreadable workspace module), and the parse
 * error of a malformed go.mod.
 */
export async function prepareGet(req: GetRequest): Promise<GetOutcome> {
  const x = req.explanation;
  const dir = x.dir;
  const readText = req.readText ??
    ((p: string) => new TextDecoder().decode(denoFs.readFile(p)));
  const genv = goEnvOf(req.env, x);
  // go get edits the go.mod of the module around dir even in a workspace,
  // then raises the go.work's go line to match.
  const file = findGoMod(denoFs, dir, {});
  if (file === undefined) throw new OpError(`no go.mod in ${dir} or above: run go mod init first`);
  const text = readText(file);
  const mf = parse(file, text);
  const short = (p: string) => shortPath(denoFs, dir, p);
  // The go.work, if one governs dir and parses (loadWorkspace).
  const workFile = findGoWork(denoFs, dir, {
    gowork: genv.getenv("GOWORK"),
    goroot: genv.goroot.value,
  });
  let workText: string | undefined;
  let workspace: GetWorkspace | undefined;
  if (workFile !== undefined && denoFs.stat(workFile) !== undefined) {
    workText = readText(workFile);
    let wf: ReturnType<typeof parseWork> | undefined;
    try {
      wf = parseWork(workFile, workText);
    } catch {
      // The go command ignores a go.work it cannot parse here.
    }
    if (wf !== undefined) {
      const workDir = dirname(workFile);
      const modules: WorkModule[] = [];
      const unreadable: string[] = [];
      let member = false;
      for (const u of wf.use) {
        const root = clean(isAbs(u.path) ? u.path : join("posix", workDir, u.path));
        let m: ReturnType<typeof parse>;
        try {
          m = parse(`${root}/go.mod`, readText(`${root}/go.mod`));
        } catch (e) {
          unreadable.push(`${short(root)}: ${(e as Error).message}`);
          continue;
        }
        // r.workspace.hasModule: by module path.
        if (m.module !== undefined && m.module.path === mf.module?.path) member = true;
        modules.push({ dir: short(root), go: m.go?.version });
      }
      if (member && unreadable.length > 0) {
        throw new OpError(`cannot load module ${unreadable[0]} listed in go.work file`);
      }
      workspace = {
        fileName: short(isAbs(workFile) ? workFile : join("posix", dir, workFile)),
        go: wf.go?.version,
        toolchain: wf.toolchain?.name,
        ...(member ? { modules } : {}),
      };
    }
  }
  const local = x.local?.version ?? "";
  if (local === "") {
    throw new OpError(
      "no go command in PATH: gtc get follows the rules of the go command on PATH",
    );
  }
  const mods = await (req.listVersions ??
    (() => listToolchainVersions(hostGoproxyDeps(genv, denoHost.goos))))();
  const plan = planGet({
    file: "go.mod",
    go: mf.go?.version,
    toolchain: mf.toolchain?.name,
    args: req.args,
    local,
    available: autoToolchainVersions(mods, local),
    gotoolchain: genv.getenv("GOTOOLCHAIN"),
    fileName: x.file?.shortPath ?? "go.mod",
    workspace,
  });
  const out: GetOutcome = { plan, file, text, newText: applyGet(text, plan, "go.mod") };
  if (workFile !== undefined && workText !== undefined) {
    out.work = { file: workFile, text: workText, newText: applyGetWork(workText, plan) };
  }
  return out;
}
