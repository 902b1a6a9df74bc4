import { deepEqual as assertEquals } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { GoEnv } from "./layers.ts";

const goroot = "/usr/local/go";

function files(extra: Record<string, string> = {}): MemFs {
  return new MemFs({
    [`${goroot}/pkg/tool/`]: "",
    [`${goroot}/go.env`]:
      "GOPROXY=https://proxy.golang.org,direct\nGOSUMDB=sum.golang.org\nGOTOOLCHAIN=auto\nGOTOOLCHAIN=local\n",
    ...extra,
  });
}

Deno.test("GoEnv layers: environment, go env file, $GOROOT/go.env, default", async (t) => {
  const tests: {
    name: string;
    environ: Record<string, string>;
    files?: Record<string, string>;
    key: string;
    want: string;
    layer: string;
    line?: number;
  }[] = [
    {
      name: "go.env default",
      environ: { HOME: "/h" },
      key: "GOTOOLCHAIN",
      want: "auto",
      layer: "goroot",
      line: 3,
    },
    {
      name: "go.env: first duplicate wins",
      environ: { HOME: "/h" },
      key: "GOTOOLCHAIN",
      want: "auto",
      layer: "goroot",
    },
    {
      name: "environment beats all",
      environ: { HOME: "/h", GOTOOLCHAIN: "local" },
      key: "GOTOOLCHAIN",
      want: "local",
      layer: "env",
    },
    {
      name: "empty environment value counts as unset",
      environ: { HOME: "/h", GOTOOLCHAIN: "" },
      key: "GOTOOLCHAIN",
      want: "auto",
      layer: "goroot",
    },
    {
      name: "user file beats go.env",
      environ: { HOME: "/h" },
      files: { "/h/.config/go/env": "GOTOOLCHAIN=go1.22.0+auto\n" },
      key: "GOTOOLCHAIN",
      want: "go1.22.0+auto",
      layer: "user",
      line: 1,
    },
    {
      name: "user file: last duplicate wins",
      environ: { HOME: "/h" },
      files: { "/h/.config/go/env": "GOTOOLCHAIN=path\nGOTOOLCHAIN=local\n" },
      key: "GOTOOLCHAIN",
      want: "local",
      layer: "user",
      line: 2,
    },
    {
      name: "empty user entry masks go.env",
      environ: { HOME: "/h" },
      files: { "/h/.config/go/env": "GOTOOLCHAIN=\n" },
      key: "GOTOOLCHAIN",
      want: "",
      layer: "user",
    },
    {
      name: "XDG_CONFIG_HOME picks the user file",
      environ: { HOME: "/h", XDG_CONFIG_HOME: "/x" },
      files: { "/x/go/env": "GOTOOLCHAIN=path\n", "/h/.config/go/env": "GOTOOLCHAIN=local\n" },
      key: "GOTOOLCHAIN",
      want: "path",
      layer: "user",
    },
    {
      name: "relative XDG_CONFIG_HOME means no user file",
      environ: { HOME: "/h", XDG_CONFIG_HOME: "rel" },
      files: { "/h/.config/go/env": "GOTOOLCHAIN=local\n" },
      key: "GOTOOLCHAIN",
      want: "auto",
      layer: "goroot",
    },
    {
      name: "GOENV names the file",
      environ: { HOME: "/h", GOENV: "/etc/goenv" },
      files: { "/etc/goenv": "GOTOOLCHAIN=go1.23.0\n" },
      key: "GOTOOLCHAIN",
      want: "go1.23.0",
      layer: "user",
    },
    {
      name: "GOENV=off disables the user file",
      environ: { HOME: "/h", GOENV: "off" },
      files: { "/h/.config/go/env": "GOTOOLCHAIN=local\n" },
      key: "GOTOOLCHAIN",
      want: "auto",
      layer: "goroot",
    },
    {
      name: "GOROOT in the user file picks go.env",
      environ: { HOME: "/h" },
      files: { "/h/.config/go/env": "GOROOT=/opt/go\n", "/opt/go/go.env": "GOTOOLCHAIN=path\n" },
      key: "GOTOOLCHAIN",
      want: "path",
      layer: "goroot",
    },
    {
      name: "$GOROOT picks go.env",
      environ: { HOME: "/h", GOROOT: "/opt/go/" },
      files: { "/opt/go/go.env": "GOTOOLCHAIN=go1.22.1\n" },
      key: "GOTOOLCHAIN",
      want: "go1.22.1",
      layer: "goroot",
    },
    {
      name: "GOPATH default",
      environ: { HOME: "/h" },
      key: "GOPATH",
      want: "/h/go",
      layer: "default",
    },
    { name: "GOPATH unset HOME", environ: {}, key: "GOPATH", want: "", layer: "default" },
    {
      name: "GOMODCACHE from GOPATH",
      environ: { HOME: "/h", GOPATH: "/p1:/p2" },
      key: "GOMODCACHE",
      want: "/p1/pkg/mod",
      layer: "default",
    },
    {
      name: "GONOSUMDB from GOPRIVATE",
      environ: { GOPRIVATE: "corp.example" },
      key: "GONOSUMDB",
      want: "corp.example",
      layer: "env",
    },
    {
      name: "GOPROXY from go.env",
      environ: { HOME: "/h" },
      key: "GOPROXY",
      want: "https://proxy.golang.org,direct",
      layer: "goroot",
    },
    { name: "GOFLAGS unset", environ: { HOME: "/h" }, key: "GOFLAGS", want: "", layer: "default" },
  ];
  for (const tt of tests) {
    await t.step(`lookup(${tt.key}) = ${JSON.stringify(tt.want)}: ${tt.name}`, () => {
      const env = new GoEnv({
        environ: tt.environ,
        fs: files(tt.files),
        goos: "linux",
        runtimeGoroot: goroot,
      });
      const s = env.lookup(tt.key);
      assertEquals(s.value, tt.want);
      assertEquals(s.origin.layer, tt.layer);
      if (tt.line !== undefined && "line" in s.origin) assertEquals(s.origin.line, tt.line);
    });
  }
});

Deno.test("GoEnv: default go env file location per OS", async (t) => {
  const cases: [goos: string, environ: Record<string, string>, want: string][] = [
    ["linux", { HOME: "/h" }, "/h/.config/go/env"],
    ["linux", { HOME: "/h", XDG_CONFIG_HOME: "/x" }, "/x/go/env"],
    ["linux", {}, ""],
    ["darwin", { HOME: "/Users/u" }, "/Users/u/Library/Application Support/go/env"],
    [
      "windows",
      { AppData: "C:\\Users\\u\\AppData\\Roaming" },
      "C:\\Users\\u\\AppData\\Roaming\\go\\env",
    ],
    ["plan9", { home: "/usr/u" }, "/usr/u/lib/go/env"],
  ];
  for (const [goos, environ, want] of cases) {
    await t.step(`${goos} ${JSON.stringify(environ)} → ${want || "none"}`, () => {
      const env = new GoEnv({ environ, fs: new MemFs(), goos });
      assertEquals(env.envFile.path, want);
    });
  }
});
