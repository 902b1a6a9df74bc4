/**
 * What the differential `gtc get` tests share: the environment both gtc and
 * the real go command run in, and running a command to its output.
 *
 * @module
 */
import type { Fixture } from "../fixtures/mod.ts";

const dec = new TextDecoder();

/** getEnv is the environment for gtc get and go get in fixture f, with the go command from bindir. */
export function getEnv(f: Fixture, bindir: string): Record<string, string> {
  return {
    ...f.env,
    PATH: `${bindir}:/usr/bin:/bin`,
    HOME: `${f.dir}/home`,
    GTC_HOME: `${f.dir}/gtchome`,
    GTC_DAEMON: "off",
    GOTOOLCHAIN: "local",
    GOFLAGS: "-mod=mod",
    NO_COLOR: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  };
}

/** run runs cmd to completion (async: the fixture's servers share this event loop). */
export async function run(cmd: string, args: string[], env: Record<string, string>, cwd: string) {
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd }).output();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}
