/**
 * `gtc tools [--rebuild [names...]] [--json]`: the programs in GOBIN with the
 * module path@version and Go version each was built from, flagged when the
 * toolchain selected here is newer or the one that built them is gone;
 * --rebuild reinstalls them with `go install path@version` through the
 * selected toolchain. Rules in lib/tools and lib/buildinfo.
 *
 * @module
 */

import type { Command } from "commander";

interface ToolsFlags {
  json?: boolean;
  rebuild?: boolean;
}

const enc = new TextEncoder();
function write(fd: "out" | "err", s: string): void {
  const b = enc.encode(s);
  const w = fd === "out" ? Deno.stdout : Deno.stderr;
  let n = 0;
  while (n < b.length) n += w.writeSync(b.subarray(n));
}

class ToolsError extends Error {}

/** registerToolsCommand adds `gtc tools` to program. */
export function registerToolsCommand(program: Command): void {
  program.command("tools")
    .description(
      "List the programs in GOBIN ($GOPATH/bin) with the module@version and Go version that " +
        "built each; flag those older than the toolchain selected here or built by one no " +
        "longer installed",
    )
    .argument("[names...]", "with --rebuild: the tools to reinstall (default: the flagged ones)")
    .option(
      "--rebuild",
      "reinstall them with `go install path@version` through the toolchain selected here",
    )
    .option("--json", "print one JSON object: gobin, toolchain, tools")
    .action(async (names: string[], flags: ToolsFlags) => {
      try {
        await tools(names, flags);
      } catch (e) {
        if (!(e instanceof ToolsError)) throw e;
        write("err", `gtc tools: ${e.message}\n`);
        Deno.exitCode = 1;
      }
    });
}

async function tools(names: string[], flags: ToolsFlags): Promise<void> {
  if (names.length > 0 && !flags.rebuild) {
    throw new ToolsError(`tool names (${names.join(" ")}) are only read with --rebuild`);
  }
  const [{ resolveSync }, { denoHost }, lib, { openReaderAt }, ops] = await Promise.all([
    import("../mod.ts"),
    import("../lib/host/host.ts"),
    import("../lib/tools/mod.ts"),
    import("../lib/host/reader_at.ts"),
    import("../lib/ops/mod.ts"),
  ]);
  const env = Deno.env.toObject();
  let x = resolveSync({ env });
  const gobin = lib.gobinDir(ops.goEnvOf(env, x), denoHost.pathStyle);
  if (gobin.error !== undefined) throw new ToolsError(gobin.error);
  const list = () =>
    lib.listTools({
      fs: denoHost.fs,
      open: openReaderAt,
      style: denoHost.pathStyle,
      dir: gobin.dir,
      selected: x.version ?? "",
      installed: ops.installedToolchains(env, false, { projects: false }).map((t) => t.name),
    });
  let found = list();
  const results: { tool: string; install: string; ok: boolean; skipped?: string }[] = [];

  if (flags.rebuild) {
    if (x.error !== null || x.toolchain === null) {
      throw new ToolsError(`no toolchain to rebuild with: ${x.error ?? "none selected"}`);
    }
    const { plan, skipped, unknown } = lib.rebuildPlan(found, names, denoHost);
    if (unknown.length > 0) {
      throw new ToolsError(`not Go programs in ${gobin.dir}: ${unknown.join(", ")}`);
    }
    for (const t of skipped) {
      results.push({ tool: t.name, install: "", ok: false, skipped: t.noInstall });
      write("err", `gtc tools: ${t.name}: not rebuilt: ${t.noInstall}\n`);
    }
    let exe = x.exe;
    if (plan.length > 0 && x.source === "cache") {
      // As gtc exec: the go command verifies a cached toolchain before it runs it.
      const { verifyCachedToolchain } = await import("./install_cmd.ts");
      const refused = await verifyCachedToolchain(x, env, true);
      if (refused !== undefined) throw new ToolsError(`go: ${refused.replace(/\n$/, "")}`);
    }
    if (plan.length > 0 && x.source === "download") {
      const { installToolchain } = await import("./install_cmd.ts");
      const r = await installToolchain(x.toolchain, "goproxy", env);
      exe = `${r.dir}/bin/go${denoHost.goos === "windows" ? ".exe" : ""}`;
    }
    if (exe === null) throw new ToolsError(`${x.toolchain}: no go program to run`);
    const base = lib.selectedEnv(x, env);
    for (const p of plan) {
      // go install's own output (download messages, build errors) goes to
      // stderr as the go command prints it; stdout carries only gtc's answer.
      write("err", `gtc tools: ${x.toolchain} ${p.args.join(" ")}\n`);
      const st = await new Deno.Command(exe, {
        args: p.args,
        env: { ...base, ...p.env },
        clearEnv: true,
        cwd: x.dir,
        stdin: "null",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn().status;
      results.push({ tool: p.tool.name, install: p.args[1], ok: st.success });
      if (!st.success) Deno.exitCode = 1;
    }
    x = resolveSync({ env });
    found = list();
  }

  if (flags.json) {
    const out = {
      gobin,
      toolchain: x.toolchain,
      version: x.version,
      tools: found,
      ...(flags.rebuild ? { rebuilt: results } : {}),
    };
    write("out", JSON.stringify(out, null, 2) + "\n");
    return;
  }
  const selected = x.toolchain ?? "(none)";
  let s = `${gobin.dir} (${gobin.origin}); toolchain selected here: ${selected}\n`;
  if (found.length === 0) s += "no Go programs\n";
  else {
    const rows = [["NAME", "MODULE", "BUILT WITH", "NOTE"]];
    for (const t of found) {
      rows.push([
        t.name,
        t.module ? `${t.path || t.module.path}@${t.module.version}` : t.path || "-",
        t.goVersion,
        t.flags.length > 0 ? lib.describeFlags(t, selected) : "",
      ]);
    }
    const w = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    for (const r of rows) {
      s += r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join("  ").trimEnd() + "\n";
    }
    const n = found.filter((t) => t.flags.length > 0).length;
    if (n > 0 && !flags.rebuild) s += `${n} to rebuild: gtc tools --rebuild\n`;
  }
  write("out", s);
}
