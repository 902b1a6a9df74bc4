// A child process for tests/install crash_test.ts, race_test.ts and
// scripts/bench/install.ts: installs one toolchain with installFromGoproxy
// (the host's HTTP, module cache and checksum-database storage), configured
// only by its environment (GOPROXY, GOSUMDB, GOMODCACHE, GOPATH… as the go
// command reads them). It prints one line per install event as it goes,
// "event <kind> <ms since start>" ("installed" last), then
// "ok <downloaded> <extracted> <h1> <hashed while downloading>";
// with GTC_CHILD_VMHWM=1, a line "vmhwm <peak RSS in KiB>" (VmHWM from
// /proc/self/status) comes just before the "ok" line.
// Usage: install_child.ts <toolchain> <goos> <goarch>
import { GoEnv } from "../../../lib/goenv/mod.ts";
import { denoFs } from "../../../lib/host/fs.ts";
import { hostGoproxyDeps } from "../../../lib/host/install_deps.ts";
import { installFromGoproxy } from "../../../lib/install/mod.ts";

const [name, goos, goarch] = Deno.args;
const t0 = performance.now();
const enc = new TextEncoder();
let lastProgress = -1;
function say(line: string) {
  Deno.stdout.writeSync(enc.encode(line + "\n"));
}
const env = new GoEnv({ environ: Deno.env.toObject(), fs: denoFs, goos });
const r = await installFromGoproxy(hostGoproxyDeps(env, goos), {
  name,
  goos,
  goarch,
  onEvent: (e) => {
    // One progress line per tenth of the zip is enough to place a kill.
    if (e.kind === "progress") {
      const tenth = e.total ? Math.floor((e.bytes * 10) / e.total) : 0;
      if (tenth === lastProgress) return;
      lastProgress = tenth;
    }
    say(`event ${e.kind} ${(performance.now() - t0).toFixed(0)}`);
  },
});
say(`event installed ${(performance.now() - t0).toFixed(0)}`);
if (Deno.env.get("GTC_CHILD_VMHWM") === "1") {
  const m = /VmHWM:\s*(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  say(`vmhwm ${m?.[1] ?? "?"}`);
}
say(`ok ${r.downloaded} ${r.extracted} ${r.h1} ${r.hashedWhileDownloading}`);
