/**
 * GOAUTH, gtc against the real go command (≥ 1.24): the same loopback https
 * module proxy, which answers 401 to requests without the right
 * Authorization, serves `go mod download example.com/m@latest` (list, info,
 * mod, zip) to both; each scenario compares, request by request, which
 * Authorization header was sent, which GOAUTH commands ran with which
 * arguments and what they read on stdin, and the errors, including the
 * go command's texts for malformed GOAUTH values.
 *
 * gtc's side runs in this process through lib/proxy (ProxyRepo, fetchZip)
 * with lib/host's hostAuthenticator and real commands; only the TLS client is
 * the test's (it trusts the test CA; the go command gets SSL_CERT_FILE).
 */
import assert from "node:assert/strict";
import { GoEnv } from "../../lib/goenv/mod.ts";
import { denoFs } from "../../lib/host/fs.ts";
import { hostAuthenticator } from "../../lib/host/auth_cmd.ts";
import { basicAuth, fetchZip, GoAuthError, ProxyRepo } from "../../lib/proxy/mod.ts";
import {
  makeTestTls,
  serveTls,
  type TestServer,
  type TestTls,
  text,
  tlsHttp,
} from "../../lib/proxy/_test_server.ts";
import { writeZip } from "../fixtures/zip_writer.ts";
import { findGo } from "./gocmd.ts";

const found = await findGo();
const go = found.go;
const goOK = go !== undefined && Number(/^go1\.(\d+)/.exec(go.version)?.[1] ?? 0) >= 24;
const tls = goOK ? await makeTestTls() : undefined;
const hasGit = await new Deno.Command("git", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output().then((o) => o.success, () => false);
let skip = "";
if (!goOK) skip = go === undefined ? found.reason : `${go.version} is older than go1.24`;
else if (tls === undefined) skip = "no openssl for a test certificate";
else if (Deno.build.os === "windows") skip = "the GOAUTH scripts are shell scripts";
if (skip !== "") console.log(`skipping the GOAUTH differential tests: ${skip}`);

const good = basicAuth("u", "p");
const zip = await writeZip([
  { name: "example.com/m@v1.0.0/go.mod", data: "module example.com/m\n" },
  { name: "example.com/m@v1.0.0/m.go", data: "package m\n" },
]);
const files: Record<string, string | Uint8Array<ArrayBuffer>> = {
  "/": "a module proxy\n",
  "/example.com/m/@v/list": "v1.0.0\n",
  "/example.com/m/@v/v1.0.0.info": '{"Version":"v1.0.0","Time":"2024-01-01T00:00:00Z"}',
  "/example.com/m/@v/v1.0.0.mod": "module example.com/m\n",
  "/example.com/m/@v/v1.0.0.zip": new Uint8Array(zip),
};

function moduleServer(t: TestTls, accept: (a: string | null) => boolean): TestServer {
  return serveTls(t, (req, target) => {
    if (!accept(req.headers.get("authorization"))) {
      return new Response("need auth\n", {
        status: 401,
        headers: { "content-type": "text/plain", "www-authenticate": 'Basic realm="gtc"' },
      });
    }
    const f = files[target];
    if (f === undefined) return text(404, "not found\n");
    return new Response(f, { status: 200 });
  });
}

/** Observed is what one side did in a scenario. */
interface Observed {
  /** "<METHOD> <target> <Authorization or ->[ x-extra=…]" for module requests (not "/"). */
  requests: string[];
  /** Requests for "/", git's credential check (go: HEAD, gtc: GET). */
  root: string[];
  /** The GOAUTH command log the scenario's scripts wrote. */
  calls: string;
  /** What the commands read on stdin, status line and header names only (values vary). */
  stdins: string[];
  /** The error, as the go command prints it without "go: ", or "" on success. */
  error: string;
}

/** A Scenario is a GOAUTH setting and a server that wants some credentials. */
interface Scenario {
  name: string;
  /** The module query, "example.com/m@latest" by default. */
  query?: string;
  accept: (a: string | null) => boolean;
  /** GOAUTH (and files) for the scenario; dir is its temp dir, port the server's. */
  setup(dir: string, port: number): Promise<{ goauth?: string; netrc?: string }>;
  git?: boolean;
  /** The requests go 1.26 was seen to make (as Observed.requests), to notice a change in go. */
  want?: string[];
}

// logger is a GOAUTH command that logs "<name> <#args> <args>" and its stdin,
// and prints out (with PORT replaced) when given a URL, or always.
async function logger(
  dir: string,
  name: string,
  port: number,
  out: string,
  always = false,
): Promise<string> {
  const path = `${dir}/${name}.sh`;
  const body = out.replaceAll("PORT", String(port)).replaceAll("\n", "\\n");
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
echo "${name} $# $*" >> "${dir}/calls"
if [ $# -gt 0 ]; then cat > "${dir}/stdin.$$"; fi
if [ $# -gt 0 ] || [ "${always}" = true ]; then printf '${body}'; fi
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

const scenarios: Scenario[] = [
  {
    name: "a command that answers only when given the URL",
    accept: (a) => a === good,
    want: [
      "GET /example.com/m/@v/list -",
      `GET /example.com/m/@v/list ${good}`,
      `GET /example.com/m/@v/v1.0.0.info ${good}`,
      `GET /example.com/m/@v/v1.0.0.mod ${good}`,
      `GET /example.com/m/@v/v1.0.0.zip ${good}`,
    ],
    async setup(dir, port) {
      const cmd = await logger(
        dir,
        "auth",
        port,
        `https://127.0.0.1:PORT\n\nAuthorization: ${good}\n\n`,
      );
      return { goauth: cmd };
    },
  },
  {
    name: "netrc (the default) with machine 127.0.0.1:PORT",
    accept: (a) => a === good,
    setup: (_, port) =>
      Promise.resolve({ netrc: `machine 127.0.0.1:${port} login u password p\n` }),
  },
  {
    name: "netrc with machine 127.0.0.1 (no port): never sent",
    accept: (a) => a === good,
    setup: () => Promise.resolve({ netrc: "machine 127.0.0.1 login u password p\n" }),
  },
  {
    name: "GOAUTH=off: no header, the 401 asked twice",
    accept: (a) => a === good,
    want: ["GET /example.com/m/@v/list -", "GET /example.com/m/@v/list -"],
    setup: (_, port) =>
      Promise.resolve({
        goauth: "off",
        netrc: `machine 127.0.0.1:${port} login u password p\n`,
      }),
  },
  {
    name: "a 404 with credentials is asked twice as well",
    query: "example.com/missing@v1.0.0",
    accept: (a) => a === good,
    want: [
      `GET /example.com/missing/@v/v1.0.0.info ${good}`,
      `GET /example.com/missing/@v/v1.0.0.info ${good}`,
    ],
    setup: (_, port) =>
      Promise.resolve({ netrc: `machine 127.0.0.1:${port} login u password p\n` }),
  },
  {
    name: "two commands: the first listed wins",
    accept: (a) => a === "Bearer A",
    async setup(dir, port) {
      const a = await logger(
        dir,
        "A",
        port,
        "https://127.0.0.1:PORT/example.com\n\nAuthorization: Bearer A\n\n",
        true,
      );
      const b = await logger(
        dir,
        "B",
        port,
        "https://127.0.0.1:PORT/example.com\n\nAuthorization: Bearer B\n\n",
        true,
      );
      return { goauth: `${a}; ${b}` };
    },
  },
  {
    name: "the later-listed command wins only where the first has nothing",
    accept: (a) => a === "Bearer B",
    want: [
      "GET /example.com/m/@v/list -",
      "GET /example.com/m/@v/list Bearer B x-extra=1",
      "GET /example.com/m/@v/v1.0.0.info Bearer B x-extra=1",
      "GET /example.com/m/@v/v1.0.0.mod Bearer B x-extra=1",
      "GET /example.com/m/@v/v1.0.0.zip Bearer B x-extra=1",
    ],
    async setup(dir, port) {
      const a = await logger(
        dir,
        "A",
        port,
        "https://127.0.0.1:PORT/other\n\nAuthorization: Bearer A\n\n",
      );
      const b = await logger(
        dir,
        "B",
        port,
        "https://127.0.0.1:PORT/example.com/m/@v\n\nAuthorization: Bearer B\nX-Extra: 1\n\n",
      );
      return { goauth: `${a};netrc;${b}`, netrc: "machine other.example login x password y\n" };
    },
  },
  {
    name: "a failing command next to a working one",
    accept: (a) => a === good,
    async setup(dir, port) {
      const bad = `${dir}/bad.sh`;
      await Deno.writeTextFile(bad, `#!/bin/sh\necho "bad $#" >> "${dir}/calls"\nexit 3\n`);
      await Deno.chmod(bad, 0o755);
      const ok = await logger(
        dir,
        "ok",
        port,
        `https://127.0.0.1:PORT\n\nAuthorization: ${good}\n\n`,
      );
      return { goauth: `${bad};${ok}` };
    },
  },
  {
    name: "git with a credential helper",
    git: true,
    accept: (a) => a === good,
    async setup(dir) {
      const repo = `${dir}/repo`;
      await Deno.mkdir(repo);
      const git = (...args: string[]) =>
        new Deno.Command("git", { args, cwd: repo, stdout: "null", stderr: "null" }).output();
      await git("init", "-q");
      await git("config", "credential.helper", "!f() { echo username=u; echo password=p; }; f");
      return { goauth: `git ${repo}` };
    },
  },
];

// gitEnv keeps the user's and the system's git configuration out of it.
const gitEnv = {
  GIT_CONFIG_GLOBAL: "/dev/null",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_TERMINAL_PROMPT: "0",
};

function baseEnv(dir: string, port: number, s: { goauth?: string; netrc?: string }) {
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: `${dir}/home`,
    GOPATH: `${dir}/gopath`,
    GOMODCACHE: `${dir}/gopath/pkg/mod`,
    GOCACHE: `${dir}/gocache`,
    GOENV: "off",
    GOTOOLCHAIN: "local",
    GOTELEMETRY: "off",
    GOPROXY: `https://127.0.0.1:${port}`,
    GOSUMDB: "off",
    GOFLAGS: "-mod=mod",
    ...gitEnv,
  };
  if (s.goauth !== undefined) env.GOAUTH = s.goauth;
  if (s.netrc !== undefined) env.NETRC = `${dir}/netrc`;
  return env;
}

async function collect(dir: string, srv: TestServer, error: string): Promise<Observed> {
  const line = (r: TestServer["requests"][number]) =>
    `${r.method} ${r.target} ${r.headers.get("authorization") ?? "-"}` +
    (r.headers.has("x-extra") ? ` x-extra=${r.headers.get("x-extra")}` : "");
  let calls = "";
  const stdins: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.name === "calls") calls = await Deno.readTextFile(`${dir}/calls`);
    if (e.name.startsWith("stdin.")) {
      const t = await Deno.readTextFile(`${dir}/${e.name}`);
      const [status, ...headers] = t.split("\n").filter((l) => l !== "");
      stdins.push([status, ...headers.map((h) => h.split(":")[0]).sort()].join("|"));
      await Deno.remove(`${dir}/${e.name}`);
    }
  }
  await Deno.remove(`${dir}/calls`).catch(() => {});
  const out = {
    requests: srv.requests.filter((r) => r.target !== "/").map(line),
    root: srv.requests.filter((r) => r.target === "/").map(line),
    calls,
    stdins: stdins.sort(),
    error,
  };
  srv.requests.length = 0;
  return out;
}

async function runGo(env: Record<string, string>, cwd: string, args: string[]) {
  const out = await new Deno.Command(go!.path, { args, env, clearEnv: true, cwd }).output();
  const dec = new TextDecoder();
  const stderr = dec.decode(out.stderr);
  // The module cache is read-only; make it removable.
  await new Deno.Command("chmod", { args: ["-R", "u+w", env.GOPATH] }).output().catch(() => {});
  return { code: out.code, stderr };
}

// gtcDownload does what `go mod download <query>` asks of the proxy:
// @v/list for @latest, then .info, .mod and .zip.
async function gtcDownload(
  query: string,
  goproxy: string,
  opts: { http: ReturnType<typeof tlsHttp>; auth: ReturnType<typeof hostAuthenticator> },
): Promise<void> {
  const [path, q] = query.split("@");
  const repo = new ProxyRepo(goproxy, path, opts);
  const version = q === "latest" ? (await repo.versions()).at(-1)! : q;
  await repo.info(version);
  await repo.mod(version);
  await fetchZip(path, version, {
    goproxy,
    ...opts,
    dst: { write: () => {}, reset: () => {} },
  });
}

Deno.test({
  name: "GOAUTH: gtc sends what the go command sends, scenario by scenario",
  ignore: skip !== "",
  async fn(t) {
    for (const s of scenarios) {
      if (s.git && !hasGit) {
        console.log(`skipping "${s.name}": no git`);
        continue;
      }
      await t.step(s.name, async () => {
        await using srv = moduleServer(tls!, s.accept);
        using http = tlsHttp(tls!);
        const dir = await Deno.makeTempDir({ prefix: "gtc-goauth-diff-" });
        const saved = Object.keys(gitEnv).map((k) => [k, Deno.env.get(k)] as const);
        try {
          await Deno.mkdir(`${dir}/home`);
          await Deno.mkdir(`${dir}/work`);
          const set = await s.setup(dir, srv.port);
          if (set.netrc !== undefined) await Deno.writeTextFile(`${dir}/netrc`, set.netrc);
          const env = baseEnv(dir, srv.port, set);
          const query = s.query ?? "example.com/m@latest";

          const g = await runGo(
            { ...env, SSL_CERT_FILE: tls!.caFile },
            `${dir}/work`,
            ["mod", "download", query],
          );
          const goErr = g.code === 0 ? "" : g.stderr.replace(/^go: /, "").trimEnd();
          const fromGo = await collect(dir, srv, goErr);

          // gtc's commands inherit this process's environment.
          for (const [k, v] of Object.entries(gitEnv)) Deno.env.set(k, v);
          const auth = hostAuthenticator(
            new GoEnv({ environ: env, fs: denoFs, goos: "linux" }),
            http,
          );
          let gtcErr = "";
          try {
            await gtcDownload(query, env.GOPROXY, { http, auth });
          } catch (e) {
            gtcErr = (e as Error).message;
          }
          await auth.idle();
          const fromGtc = await collect(dir, srv, gtcErr);

          if (s.want !== undefined) assert.deepEqual(fromGo.requests, s.want);
          assert.deepEqual(fromGtc.requests, fromGo.requests);
          assert.equal(fromGtc.calls, fromGo.calls);
          assert.deepEqual(fromGtc.stdins, fromGo.stdins);
          assert.equal(fromGtc.error, fromGo.error);
          // git's credential check: go sends HEAD /, gtc GET / (HttpClient
          // has no HEAD). Go's runs in a goroutine that may not finish
          // before the command exits.
          if (fromGo.root.length > 0) {
            assert.deepEqual(
              fromGtc.root.map((l) => l.replace(/^GET /, "")),
              fromGo.root.map((l) => l.replace(/^HEAD /, "")),
            );
          }
          const runs = fromGo.calls.split("\n").filter((l) => l !== "").length;
          console.log(
            `  ${s.name}: ${fromGo.requests.length} requests, ${runs} command runs, ` +
              `${fromGo.root.length} credential checks (${fromGo.root.join(", ")}): as go`,
          );
        } finally {
          for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
          await Deno.remove(dir, { recursive: true });
        }
      });
    }
  },
});

Deno.test({
  name: "GOAUTH: malformed values fail with the go command's texts, before any request",
  ignore: skip !== "",
  async fn(t) {
    const values = [
      ";",
      "netrc;",
      " ;netrc",
      "off;netrc",
      "netrc;off",
      "git",
      "git rel",
      "git /tmp two words",
      "git /gtc-no-such-dir",
      "git /etc/passwd",
      ";git /gtc-no-such-dir",
      "git /gtc-no-such-dir;",
    ];
    await using srv = moduleServer(tls!, () => true);
    using http = tlsHttp(tls!);
    const dir = await Deno.makeTempDir({ prefix: "gtc-goauth-diff-" });
    try {
      await Deno.mkdir(`${dir}/home`);
      await Deno.mkdir(`${dir}/work`);
      for (const goauth of values) {
        await t.step(`GOAUTH=${JSON.stringify(goauth)}`, async () => {
          const env = baseEnv(dir, srv.port, { goauth });
          const g = await runGo(
            { ...env, SSL_CERT_FILE: tls!.caFile },
            `${dir}/work`,
            ["mod", "download", "example.com/m@latest"],
          );
          assert.equal(g.code, 1);
          assert.deepEqual(srv.requests, []);
          const auth = hostAuthenticator(
            new GoEnv({ environ: env, fs: denoFs, goos: "linux" }),
            http,
          );
          const err = await gtcDownload("example.com/m@latest", env.GOPROXY, { http, auth })
            .then(() => undefined, (e) => e);
          assert.ok(err instanceof GoAuthError, String(err));
          assert.equal(`go: ${err.message}\n`, g.stderr);
          assert.deepEqual(srv.requests, []);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "zz: remove the GOAUTH differential certificates",
  ignore: tls === undefined,
  async fn() {
    await tls!.close();
  },
});
