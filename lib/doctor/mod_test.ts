import { deepEqual as assertEquals } from "node:assert/strict";
import type { Explanation } from "../resolve/mod.ts";
import {
  diagnose,
  doctorChecks,
  type DoctorFacts,
  parseGoproxy,
  probe,
  type SettingFact,
  sumdbURL,
} from "./mod.ts";

const x: Explanation = {
  dir: "/src/m",
  toolchain: "go1.26.8",
  version: "1.26.8",
  source: "local",
  goroot: "/usr/local/go",
  exe: "/usr/local/go/bin/go",
  error: null,
  local: {
    exe: "/usr/local/go/bin/go",
    goroot: "/usr/local/go",
    toolchain: "go1.26.8",
    version: "1.26.8",
    versionFrom: "/usr/local/go/VERSION",
  },
  gotoolchain: { value: "auto", origin: "default" },
  mode: "auto",
  file: null,
  modules: true,
  childEnv: null,
  notices: [],
  microsoft: false,
  diagnostics: [],
  trace: [],
};
const unset: SettingFact = { value: "", origin: "default", layer: "default" };

function facts(over: Partial<DoctorFacts> = {}): DoctorFacts {
  return {
    x,
    auto: x,
    settings: {
      GOROOT: unset,
      GOTOOLCHAIN: { value: "auto", origin: "default", layer: "default" },
      GOPROXY: unset,
      GOSUMDB: unset,
    },
    pathGos: [],
    path: "/usr/local/go/bin:/usr/bin",
    cache: null,
    hook: null,
    daemonVersion: null,
    version: "0.1.0",
    probes: [],
    ...over,
  };
}

Deno.test("doctor checks: severities and fixes of findings no end-to-end test reaches", () => {
  const cases: [string, Partial<DoctorFacts>, [string, string, string][]][] = [
    ["nothing wrong", {}, []],
    ["GOTOOLCHAIN=local and resolve's load error: the go command's text", {
      x: {
        ...x,
        mode: "",
        gotoolchain: { value: "local", origin: "environment" },
        diagnostics: ["go: go.mod requires go >= 1.99.0 (running go 1.26.8; GOTOOLCHAIN=local)"],
      },
      settings: {
        ...facts().settings,
        GOTOOLCHAIN: { value: "local", origin: "environment", layer: "env" },
      },
    }, [["gotoolchain-too-old", "error", "export GOTOOLCHAIN=auto"]]],
    ["the same load error under GOTOOLCHAIN=auto is not GOTOOLCHAIN's doing", {
      x: { ...x, diagnostics: ["go: go.mod requires go >= 1.99.0 (running go 1.26.8)"] },
    }, []],
    ["a daemon of another version", { daemonVersion: "0.0.9" }, [[
      "hook-daemon",
      "warning",
      "gtc daemon restart",
    ]]],
    [
      "hook state unknown: no note",
      { hook: { active: null, shell: "zsh" } },
      [],
    ],
    ["GOTOOLCHAIN=go1.25.3+auto in the go env file: a note", {
      settings: {
        ...facts().settings,
        GOTOOLCHAIN: { value: "go1.25.3+auto", origin: "go env file /h/env:1", layer: "user" },
      },
    }, [["gotoolchain-file", "info", "gtc use --global --unset"]]],
    ["GOTOOLCHAIN=go1.25.3 (exact) in the go env file: a warning", {
      settings: {
        ...facts().settings,
        GOTOOLCHAIN: { value: "go1.25.3", origin: "go env file /h/env:1", layer: "user" },
      },
    }, [["gotoolchain-file", "warning", "gtc use --global --unset"]]],
    ["a read-only cache when a toolchain must be downloaded: an error", {
      x: { ...x, source: "download", toolchain: "go1.99.0" },
      cache: {
        path: "/c",
        origin: "default",
        exists: true,
        writable: false,
        owner: 1000,
        uid: 1000,
      },
    }, [["module-cache", "error", "chmod u+w /c"]]],
    ["a read-only cache otherwise: a warning", {
      cache: {
        path: "/c d",
        origin: "default",
        exists: true,
        writable: false,
        owner: 1000,
        uid: 1000,
      },
    }, [["module-cache", "warning", "chmod u+w '/c d'"]]],
    ["a missing cache under an unwritable parent", {
      cache: {
        path: "/ro/mod",
        origin: "default",
        exists: false,
        writable: false,
        owner: null,
        uid: 1000,
      },
    }, [["module-cache", "warning", `sudo chown -R "$(id -u):$(id -g)" /ro/mod`]]],
    ["an unreachable proxy without a download: a warning", {
      probes: [{ kind: "GOPROXY", url: "http://p/x", origin: "environment", error: "refused" }],
    }, [["network", "warning", "go env -w GOPROXY=https://proxy.golang.org,direct"]]],
    ["GOPROXY from the environment: fixed there", {
      settings: {
        ...facts().settings,
        GOPROXY: { value: "http://p", origin: "environment", layer: "env" },
      },
      probes: [{ kind: "GOPROXY", url: "http://p/x", origin: "environment", error: "refused" }],
    }, [["network", "warning", "export GOPROXY=https://proxy.golang.org,direct"]]],
    ["the default proxy unreachable: the network", {
      settings: {
        ...facts().settings,
        GOPROXY: { value: "https://proxy.golang.org,direct", origin: "default", layer: "default" },
        GOSUMDB: { value: "sum.golang.org", origin: "default", layer: "default" },
      },
      probes: [{
        kind: "GOSUMDB",
        url: "https://sum.golang.org/latest",
        origin: "default",
        error: "dns",
      }],
    }, [[
      "network",
      "warning",
      "curl -sSI https://sum.golang.org/latest  # the network or a firewall stops it",
    ]]],
    ["another checksum database in the go env file", {
      settings: {
        ...facts().settings,
        GOSUMDB: { value: "db.example k http://db", origin: "go env file /e:1", layer: "user" },
      },
      probes: [{
        kind: "GOSUMDB",
        url: "http://db/latest",
        origin: "go env file /e:1",
        error: "dns",
      }],
    }, [["network", "warning", "go env -u GOSUMDB"]]],
  ];
  for (const [name, over, want] of cases) {
    const r = diagnose(facts(over));
    assertEquals(r.findings.map((f) => [f.check, f.severity, f.fix]), want, name);
    assertEquals(r.failing, want.some((w) => w[1] === "error"), name);
    assertEquals(r.passed.length + new Set(want.map((w) => w[0])).size, doctorChecks.length, name);
  }
});

Deno.test("parseGoproxy() and sumdbURL() read the settings as the go command does", () => {
  assertEquals(parseGoproxy("https://proxy.golang.org,direct"), ["https://proxy.golang.org"]);
  assertEquals(parseGoproxy("https://a|https://b,off"), ["https://a", "https://b"]);
  assertEquals(parseGoproxy("off"), []);
  assertEquals(sumdbURL(""), { name: "sum.golang.org", url: "https://sum.golang.org" });
  assertEquals(sumdbURL("sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8"), {
    name: "sum.golang.org",
    url: "https://sum.golang.org",
  });
  assertEquals(sumdbURL("example.com+abc http://127.0.0.1:9/db/"), {
    name: "example.com",
    url: "http://127.0.0.1:9/db",
  });
  assertEquals(sumdbURL("off"), null);
});

Deno.test("probe() asks each proxy and the database, through the proxy first", async () => {
  const asked: string[] = [];
  const answers: Record<string, number | string> = {
    "https://a/golang.org/toolchain/@v/list": 404,
    "https://b/golang.org/toolchain/@v/list": 503,
    "https://a/sumdb/sum.golang.org/supported": 404,
    "https://sum.golang.org/latest": "no answer within 5 ms",
  };
  const got = await probe(
    {
      ...facts().settings,
      GOPROXY: { value: "https://a,https://b", origin: "environment", layer: "env" },
    },
    (url) => {
      asked.push(url);
      return Promise.resolve(answers[url] ?? "unexpected");
    },
    5,
  );
  assertEquals(got.map((p) => [p.kind, p.url, p.error]), [
    ["GOPROXY", "https://a/golang.org/toolchain/@v/list", null],
    ["GOPROXY", "https://b/golang.org/toolchain/@v/list", "HTTP 503"],
    ["GOSUMDB", "https://sum.golang.org/latest", "no answer within 5 ms"],
  ]);
  assertEquals(asked.length, 4);
});
