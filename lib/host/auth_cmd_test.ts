/**
 * GOAUTH end to end on this machine: hostAuthenticator with real commands,
 * git and .netrc files, against a loopback https module proxy that demands
 * credentials (401 without them), through lib/proxy's list and fetch.
 */
import assert from "node:assert/strict";
import { GoEnv } from "../goenv/mod.ts";
import {
  basicAuth,
  fetchZip,
  GoAuthError,
  type HttpClient,
  listVersions,
  ProxyRepo,
} from "../proxy/mod.ts";
import {
  makeTestTls,
  serve,
  serveTls,
  type TestServer,
  type TestTls,
  text,
  tlsHttp,
} from "../proxy/_test_server.ts";
import { denoRunner, hostAuthenticator } from "./auth_cmd.ts";
import { denoFs } from "./fs.ts";

const tls = await makeTestTls();
const noShell = Deno.build.os === "windows";
if (tls === undefined) console.log("skipping the https GOAUTH tests: no openssl");
const ignore = tls === undefined || noShell;

const good = basicAuth("u", "p");
const mod = "example.com/m";
const files: Record<string, string> = {
  "/": "a module proxy\n",
  "/example.com/m/@v/list": "v1.0.0\n",
  "/example.com/m/@v/v1.0.0.info": '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
  "/example.com/m/@v/v1.0.0.mod": "module example.com/m\n",
  "/example.com/m/@v/v1.0.0.zip": "PK-zip-bytes",
};

// moduleServer serves example.com/m v1.0.0 to requests whose Authorization
// accept() likes, and answers 401 to the others.
function moduleServer(t: TestTls, accept = (a: string | null) => a === good): TestServer {
  return serveTls(t, (req, target) => {
    if (!accept(req.headers.get("authorization"))) {
      return new Response("need auth\n", {
        status: 401,
        headers: { "content-type": "text/plain", "www-authenticate": 'Basic realm="gtc"' },
      });
    }
    const f = files[target];
    return f === undefined ? text(404, "not found\n") : text(200, f);
  });
}

// seen lists the requests as "<target> <authorization or ->".
function seen(srv: TestServer): string[] {
  return srv.requests.map((r) => `${r.target} ${r.headers.get("authorization") ?? "-"}`);
}

function goEnv(environ: Record<string, string>): GoEnv {
  return new GoEnv({ environ: { GOENV: "off", ...environ }, fs: denoFs, goos: "linux" });
}

// download does what `go mod download example.com/m@v1.0.0` asks: .info, .mod, .zip.
async function download(
  url: string,
  opts: { http: HttpClient; auth: ReturnType<typeof hostAuthenticator> },
): Promise<void> {
  const repo = new ProxyRepo(url, mod, opts);
  await repo.info("v1.0.0");
  await repo.mod("v1.0.0");
  let n = 0;
  await fetchZip(mod, "v1.0.0", {
    goproxy: url,
    ...opts,
    dst: { write: (c) => void (n += c.length), reset: () => void (n = 0) },
  });
  assert.equal(n, files["/example.com/m/@v/v1.0.0.zip"].length);
}

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "gtc-goauth-" });
}

// script writes an executable shell script.
async function script(path: string, body: string): Promise<string> {
  await Deno.writeTextFile(path, `#!/bin/sh\n${body}`);
  await Deno.chmod(path, 0o755);
  return path;
}

Deno.test({
  name: "GOAUTH unset is netrc: the machine host:port gets credentials from the first request",
  ignore,
  async fn() {
    await using srv = moduleServer(tls!);
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    try {
      await Deno.writeTextFile(
        `${dir}/.netrc`,
        `machine 127.0.0.1:${srv.port} login u password p\n`,
      );
      const auth = hostAuthenticator(goEnv({ HOME: dir }), http);
      assert.equal(auth.goauth, "netrc");
      assert.deepEqual(await listVersions(mod, { goproxy: srv.url, http, auth }), ["v1.0.0"]);
      await download(srv.url, { http, auth });
      assert.deepEqual(seen(srv), [
        `/example.com/m/@v/list ${good}`,
        `/example.com/m/@v/v1.0.0.info ${good}`,
        `/example.com/m/@v/v1.0.0.mod ${good}`,
        `/example.com/m/@v/v1.0.0.zip ${good}`,
      ]);

      // NETRC wins over ~/.netrc; a machine without the port does not match.
      srv.requests.length = 0;
      await Deno.writeTextFile(`${dir}/other`, "machine 127.0.0.1 login u password p\n");
      const noPort = hostAuthenticator(goEnv({ HOME: dir, NETRC: `${dir}/other` }), http);
      await assert.rejects(() => listVersions(mod, { goproxy: srv.url, http, auth: noPort }), {
        message:
          `module ${mod}: reading ${srv.url}/${mod}/@v/list: 401 Unauthorized\n\tserver response: need auth`,
      });
      // The 4xx is asked once more (GOAUTH ran again with the URL).
      assert.deepEqual(seen(srv), ["/example.com/m/@v/list -", "/example.com/m/@v/list -"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "GOAUTH=off sends no credentials, and still asks a 4xx twice",
  ignore,
  async fn() {
    await using srv = moduleServer(tls!);
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    try {
      await Deno.writeTextFile(
        `${dir}/.netrc`,
        `machine 127.0.0.1:${srv.port} login u password p\n`,
      );
      const auth = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: "off" }), http);
      await assert.rejects(() => listVersions(mod, { goproxy: srv.url, http, auth }), /401/);
      assert.deepEqual(seen(srv), ["/example.com/m/@v/list -", "/example.com/m/@v/list -"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a GOAUTH command runs first without the URL, then with it and the 401 on stdin",
  ignore,
  async fn() {
    await using srv = moduleServer(tls!);
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    try {
      // It prints credentials only when given a URL, so the first request fails.
      const cmd = await script(
        `${dir}/auth.sh`,
        `echo "$#:$*" >> "${dir}/calls"
if [ $# -gt 1 ]; then
  cat > "${dir}/stdin"
  printf 'https://127.0.0.1:${srv.port}\\n\\nAuthorization: ${good}\\n\\n'
fi
`,
      );
      const auth = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: `${cmd} --flag` }), http);
      await download(srv.url, { http, auth });
      const info = `${srv.url}/${mod}/@v/v1.0.0.info`;
      assert.equal(await Deno.readTextFile(`${dir}/calls`), `1:--flag\n2:--flag ${info}\n`);
      const stdin = await Deno.readTextFile(`${dir}/stdin`);
      assert.match(stdin, /^HTTP\/2\.0 401 Unauthorized\n/);
      assert.match(stdin, /\nWww-Authenticate: Basic realm="gtc"\n/);
      assert.match(stdin, /\nContent-Type: text\/plain\n/);
      assert.ok(stdin.endsWith("\n\n"));
      assert.deepEqual(seen(srv), [
        "/example.com/m/@v/v1.0.0.info -",
        `/example.com/m/@v/v1.0.0.info ${good}`,
        `/example.com/m/@v/v1.0.0.mod ${good}`,
        `/example.com/m/@v/v1.0.0.zip ${good}`,
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "several GOAUTH commands run last to first, so the first listed wins",
  ignore,
  async fn() {
    await using srv = moduleServer(tls!, (a) => a === "Bearer A");
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    try {
      const say = (token: string) =>
        script(
          `${dir}/${token}.sh`,
          `echo "${token} $#" >> "${dir}/calls"
printf 'https://127.0.0.1:${srv.port}/example.com\\n\\nAuthorization: Bearer ${token}\\n\\n'
`,
        );
      const [a, b] = [await say("A"), await say("B")];
      const first = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: `${a};${b}` }), http);
      assert.deepEqual(await listVersions(mod, { goproxy: srv.url, http, auth: first }), [
        "v1.0.0",
      ]);
      assert.equal(await Deno.readTextFile(`${dir}/calls`), "B 0\nA 0\n");
      assert.deepEqual(seen(srv), ["/example.com/m/@v/list Bearer A"]);

      // The other way round B wins, before and after the 401.
      srv.requests.length = 0;
      await Deno.remove(`${dir}/calls`);
      const second = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: `${b} ; ${a}` }), http);
      await assert.rejects(
        () => listVersions(mod, { goproxy: srv.url, http, auth: second }),
        /401 Unauthorized/,
      );
      assert.equal(await Deno.readTextFile(`${dir}/calls`), "A 0\nB 0\nA 1\nB 1\n");
      assert.deepEqual(seen(srv), [
        "/example.com/m/@v/list Bearer B",
        "/example.com/m/@v/list Bearer B",
      ]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const hasGit = await new Deno.Command("git", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
if (!hasGit) console.log("skipping the GOAUTH=git test: no git");

Deno.test({
  name: "GOAUTH=git <dir> asks git's credential helper for the URL after a 401",
  ignore: ignore || !hasGit,
  async fn() {
    await using srv = moduleServer(tls!);
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    // Keep the user's and the system's git configuration (and its helpers)
    // out of it; this process's environment is what the commands inherit.
    const saved = ["GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "GIT_TERMINAL_PROMPT"].map(
      (k) => [k, Deno.env.get(k)] as const,
    );
    Deno.env.set("GIT_CONFIG_GLOBAL", "/dev/null");
    Deno.env.set("GIT_CONFIG_NOSYSTEM", "1");
    Deno.env.set("GIT_TERMINAL_PROMPT", "0");
    try {
      const git = (...args: string[]) =>
        new Deno.Command("git", { args, cwd: dir, stdout: "null", stderr: "null" }).output();
      await git("init", "-q");
      await git("config", "credential.helper", "!f() { echo username=u; echo password=p; }; f");
      const auth = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: `git ${dir}` }), http);
      assert.deepEqual(await listVersions(mod, { goproxy: srv.url, http, auth }), ["v1.0.0"]);
      await download(srv.url, { http, auth });
      await auth.idle();
      const got = seen(srv);
      // The helper is told the credentials work (go sends HEAD <prefix>,
      // gtc a GET; a 200 means "approve"): once, for the one fill.
      assert.deepEqual(got.filter((l) => l.startsWith("/ ")), [`/ ${good}`]);
      assert.deepEqual(got.filter((l) => !l.startsWith("/ ")), [
        "/example.com/m/@v/list -",
        `/example.com/m/@v/list ${good}`,
        `/example.com/m/@v/v1.0.0.info ${good}`,
        `/example.com/m/@v/v1.0.0.mod ${good}`,
        `/example.com/m/@v/v1.0.0.zip ${good}`,
      ]);
    } finally {
      for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "credentials never go over plain http, and GOAUTH does not even run",
  ignore: noShell,
  async fn() {
    await using srv = serve((_, target) => {
      const f = files[target];
      return f === undefined ? text(404, "not found\n") : text(200, f);
    });
    const http = (await import("./http.ts")).denoHttp;
    const dir = await tempDir();
    try {
      const cmd = await script(
        `${dir}/auth.sh`,
        `echo called >> "${dir}/calls"
printf 'http://127.0.0.1:${srv.port}\\n\\nAuthorization: Bearer leak\\n\\n'
`,
      );
      await Deno.writeTextFile(
        `${dir}/.netrc`,
        `machine 127.0.0.1:${srv.port} login u password p\n`,
      );
      const auth = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: `netrc;${cmd}` }), http);
      await download(srv.url, { http, auth });
      await assert.rejects(() =>
        listVersions("example.com/none", { goproxy: srv.url, http, auth })
      );
      assert.ok(srv.requests.length >= 4);
      assert.ok(srv.requests.every((r) => r.headers.get("authorization") === null));
      // 404 over http is not asked twice.
      assert.equal(srv.requests.filter((r) => r.target.startsWith("/example.com/none")).length, 1);
      await assert.rejects(() => Deno.stat(`${dir}/calls`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "a malformed GOAUTH stops the GOPROXY list at the first https request, with Go's text",
  ignore,
  async fn() {
    await using srv = moduleServer(tls!, () => true);
    using http = tlsHttp(tls!);
    const dir = await tempDir();
    try {
      const cases: [goauth: string, want: string][] = [
        ["netrc;", "GOAUTH encountered an empty command (GOAUTH=netrc;)"],
        [
          "off;netrc",
          "GOAUTH=off cannot be combined with other authentication commands (GOAUTH=off;netrc)",
        ],
        [
          `git ${dir}/missing`,
          `GOAUTH=git encountered an error; cannot stat ${dir}/missing: stat ${dir}/missing: no such file or directory`,
        ],
      ];
      for (const [goauth, want] of cases) {
        const auth = hostAuthenticator(goEnv({ HOME: dir, GOAUTH: goauth }), http);
        // "|" would fall back on any error, "direct" too: not after a fatal one.
        const goproxy = `${srv.url}|${srv.url}/other|direct`;
        const err = await listVersions(mod, { goproxy, http, auth }).catch((e) => e);
        assert.ok(err instanceof GoAuthError, String(err));
        assert.equal(err.message, want);
      }
      assert.deepEqual(srv.requests, []);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "denoRunner runs commands with os/exec's error texts",
  ignore: noShell,
  async fn() {
    const dir = await tempDir();
    try {
      const cat = await script(`${dir}/cat.sh`, 'pwd; cat; echo err >&2; exit "${1:-0}"\n');
      assert.deepEqual(await denoRunner.run([cat], { stdin: "in\n", dir }), {
        stdout: `${await Deno.realPath(dir)}\nin\n`,
        stderr: "err\n",
        code: 0,
        signal: undefined,
      });
      assert.equal((await denoRunner.run([cat, "7"])).code, 7);
      // Without stdin the command reads the null device.
      assert.match((await denoRunner.run([cat])).stdout, /\n$/);
      await assert.rejects(() => denoRunner.run(["gtc-no-such-command"]), {
        message: 'exec: "gtc-no-such-command": executable file not found in $PATH',
      });
      await assert.rejects(() => denoRunner.run([`${dir}/none`]), {
        message: `fork/exec ${dir}/none: no such file or directory`,
      });
      await Deno.writeTextFile(`${dir}/noexec`, "#!/bin/sh\n");
      await assert.rejects(() => denoRunner.run([`${dir}/noexec`]), {
        message: `fork/exec ${dir}/noexec: permission denied`,
      });
      await assert.rejects(() => denoRunner.run([""]), { message: "exec: no command" });
      const killed = await script(`${dir}/kill.sh`, "kill -9 $$\n");
      assert.equal((await denoRunner.run([killed])).signal, "SIGKILL");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "zz: remove the test certificates",
  ignore: tls === undefined,
  async fn() {
    await tls!.close();
  },
});
