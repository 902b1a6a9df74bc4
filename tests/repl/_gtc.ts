/**
 * Running gtc (cli/main.ts) in a child process for the repl and ci tests.
 *
 * @module
 */

/** entry is the script that runs gtc. */
export const entry: string = new URL("../../cli/main.ts", import.meta.url).pathname;

/** The argv that starts gtc: deno run … entry. */
export function gtcArgv(): string[] {
  return [Deno.execPath(), "run", "-A", "--quiet", entry];
}

/** What a finished gtc printed. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** gtc runs gtc with args in a clean environment, feeding stdin. */
export async function gtc(
  args: string[],
  opts: { env: Record<string, string>; cwd?: string; stdin?: string },
): Promise<Run> {
  const [cmd, ...pre] = gtcArgv();
  const child = new Deno.Command(cmd, {
    args: [...pre, ...args],
    env: opts.env,
    clearEnv: true,
    cwd: opts.cwd,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** denoDir keeps the test children on the parent's module cache. */
export function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}

/**
 * removeAll removes dir, retrying while the go command's telemetry child
 * (which outlives it) still writes below $HOME/.config/go/telemetry.
 */
export async function removeAll(dir: string): Promise<void> {
  for (let i = 0;; i++) {
    try {
      await Deno.remove(dir, { recursive: true });
      return;
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      if (i >= 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
