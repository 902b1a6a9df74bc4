/**
 * Running the real go command and the gtc CLI side by side, for the
 * differential tests that compare whole commands (exit status, stderr).
 *
 * @module
 */

const cli = new URL("../../cli/main.ts", import.meta.url).pathname;

/** What a command did. */
export interface Out {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * run runs cmd with exactly env in cwd. It is asynchronous on purpose: the
 * loopback fixtures these tests start serve on this process's event loop.
 */
export async function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<Out> {
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, cwd, stdin: "null" })
    .output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** gtc runs the CLI from source (no daemon, no colour) with env. */
export function gtc(args: string[], env: Record<string, string>, cwd: string): Promise<Out> {
  return run(Deno.execPath(), ["run", "-A", "--quiet", cli, ...args], {
    ...env,
    GTC_DAEMON: "off",
    NO_COLOR: "1",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
  }, cwd);
}

/** refusedPort returns a port on 127.0.0.1 that refuses connections (listened on, then closed). */
export function refusedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}
