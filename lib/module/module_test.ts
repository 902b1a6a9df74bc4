import assert from "node:assert/strict";
import {
  canonicalVersion,
  check,
  checkFilePath,
  checkImportPath,
  checkPath,
  escapePath,
  escapeVersion,
  matchPathMajor,
  matchPrefixPatterns,
  splitPathVersion,
  unescapePath,
  unescapeVersion,
} from "./module.ts";
import { InvalidPathError, InvalidVersionError } from "./errors.ts";

function show(s: string): string {
  return JSON.stringify(s);
}

// ---------------------------------------------------------------------------
// From golang.org/x/mod module/module_test.go (the x/mod vendored in go1.26).

const checkTests: [path: string, version: string, ok: boolean][] = [
  ["rsc.io/quote", "0.1.0", false],
  ["rsc io/quote", "v1.0.0", false],

  ["github.com/go-yaml/yaml", "v0.8.0", true],
  ["github.com/go-yaml/yaml", "v1.0.0", true],
  ["github.com/go-yaml/yaml", "v2.0.0", false],
  ["github.com/go-yaml/yaml", "v2.1.5", false],
  ["github.com/go-yaml/yaml", "v3.0.0", false],

  ["github.com/go-yaml/yaml/v2", "v1.0.0", false],
  ["github.com/go-yaml/yaml/v2", "v2.0.0", true],
  ["github.com/go-yaml/yaml/v2", "v2.1.5", true],
  ["github.com/go-yaml/yaml/v2", "v3.0.0", false],

  ["gopkg.in/yaml.v0", "v0.8.0", true],
  ["gopkg.in/yaml.v0", "v1.0.0", false],
  ["gopkg.in/yaml.v0", "v2.0.0", false],
  ["gopkg.in/yaml.v0", "v2.1.5", false],
  ["gopkg.in/yaml.v0", "v3.0.0", false],

  ["gopkg.in/yaml.v1", "v0.8.0", false],
  ["gopkg.in/yaml.v1", "v1.0.0", true],
  ["gopkg.in/yaml.v1", "v2.0.0", false],
  ["gopkg.in/yaml.v1", "v2.1.5", false],
  ["gopkg.in/yaml.v1", "v3.0.0", false],

  // For gopkg.in, .v1 means v1 only (not v0).
  // But early versions of vgo still generated v0 pseudo-versions for it.
  // Even though now we'd generate those as v1 pseudo-versions,
  // we accept the old pseudo-versions to avoid breaking existing go.mod files.
  // For example gopkg.in/yaml.v2@v2.2.1's go.mod requires check.v1 at a v0 pseudo-version.
  ["gopkg.in/check.v1", "v0.0.0", false],
  ["gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456", true],

  ["gopkg.in/yaml.v2", "v1.0.0", false],
  ["gopkg.in/yaml.v2", "v2.0.0", true],
  ["gopkg.in/yaml.v2", "v2.1.5", true],
  ["gopkg.in/yaml.v2", "v3.0.0", false],

  ["rsc.io/quote", "v17.0.0", false],
  ["rsc.io/quote", "v17.0.0+incompatible", true],
];

Deno.test("check() follows x/mod checkTests", async (t) => {
  for (const [path, version, ok] of checkTests) {
    await t.step(`check(${show(path)}, ${show(version)}) ok=${ok}`, () => {
      assert.equal(check(path, version) === undefined, ok);
    });
  }
});

// Rows marked "older x/mod" differ from earlier copies of this table: go1.26's
// x/mod no longer allows '+' in module paths (import paths still do), allows
// a leading dot in import paths and a leading dash in file paths. Every row
// below was checked against the vendored x/mod of go1.26.
export const checkPathTests: [path: string, ok: boolean, importOK: boolean, fileOK: boolean][] = [
  ["x.y/z", true, true, true],
  ["x.y", true, true, true],

  ["", false, false, false],
  // Go: "x.y/\xFFz" (invalid UTF-8); a lone surrogate is the JS analogue.
  ["x.y/\uD800z", false, false, false],
  ["/x.y/z", false, false, false],
  ["x./z", false, false, false],
  [".x/z", false, true, true], // older x/mod: importOK false
  ["-x/z", false, false, true], // older x/mod: fileOK false
  ["x..y/z", true, true, true],
  ["x.y/z/../../w", false, false, false],
  ["x.y//z", false, false, false],
  ["x.y/z//w", false, false, false],
  ["x.y/z/", false, false, false],

  ["x.y/z/v0", false, true, true],
  ["x.y/z/v1", false, true, true],
  ["x.y/z/v2", true, true, true],
  ["x.y/z/v2.0", false, true, true],
  ["X.y/z", false, true, true],

  ["!x.y/z", false, false, true],
  ["_x.y/z", false, true, true],
  ["x.y!/z", false, false, true],
  ['x.y"/z', false, false, false],
  ["x.y#/z", false, false, true],
  ["x.y$/z", false, false, true],
  ["x.y%/z", false, false, true],
  ["x.y&/z", false, false, true],
  ["x.y'/z", false, false, false],
  ["x.y(/z", false, false, true],
  ["x.y)/z", false, false, true],
  ["x.y*/z", false, false, false],
  ["x.y+/z", false, true, true],
  ["x.y,/z", false, false, true],
  ["x.y-/z", true, true, true],
  ["x.y./zt", false, false, false],
  ["x.y:/z", false, false, false],
  ["x.y;/z", false, false, false],
  ["x.y</z", false, false, false],
  ["x.y=/z", false, false, true],
  ["x.y>/z", false, false, false],
  ["x.y?/z", false, false, false],
  ["x.y@/z", false, false, true],
  ["x.y[/z", false, false, true],
  ["x.y\\/z", false, false, false],
  ["x.y]/z", false, false, true],
  ["x.y^/z", false, false, true],
  ["x.y_/z", false, true, true],
  ["x.y`/z", false, false, false],
  ["x.y{/z", false, false, true],
  ["x.y}/z", false, false, true],
  ["x.y~/z", false, true, true],
  ["x.y/z!", false, false, true],
  ['x.y/z"', false, false, false],
  ["x.y/z#", false, false, true],
  ["x.y/z$", false, false, true],
  ["x.y/z%", false, false, true],
  ["x.y/z&", false, false, true],
  ["x.y/z'", false, false, false],
  ["x.y/z(", false, false, true],
  ["x.y/z)", false, false, true],
  ["x.y/z*", false, false, false],
  ["x.y/z+", false, true, true], // older x/mod: true, true, true
  ["x.y/z,", false, false, true],
  ["x.y/z-", true, true, true],
  ["x.y/z.t", true, true, true],
  ["x.y/z/t", true, true, true],
  ["x.y/z:", false, false, false],
  ["x.y/z;", false, false, false],
  ["x.y/z<", false, false, false],
  ["x.y/z=", false, false, true],
  ["x.y/z>", false, false, false],
  ["x.y/z?", false, false, false],
  ["x.y/z@", false, false, true],
  ["x.y/z[", false, false, true],
  ["x.y/z\\", false, false, false],
  ["x.y/z]", false, false, true],
  ["x.y/z^", false, false, true],
  ["x.y/z_", true, true, true],
  ["x.y/z`", false, false, false],
  ["x.y/z{", false, false, true],
  ["x.y/z}", false, false, true],
  ["x.y/z~", true, true, true],
  ["x.y/x.foo", true, true, true],
  ["x.y/aux.foo", false, false, false],
  ["x.y/prn", false, false, false],
  ["x.y/prn2", true, true, true],
  ["x.y/com", true, true, true],
  ["x.y/com1", false, false, false],
  ["x.y/com1.txt", false, false, false],
  ["x.y/calm1", true, true, true],
  ["x.y/z~", true, true, true],
  ["x.y/z~0", false, false, true],
  ["x.y/z~09", false, false, true],
  ["x.y/z09", true, true, true],
  ["x.y/z09~", true, true, true],
  ["x.y/z09~09z", true, true, true],
  ["x.y/z09~09z~09", false, false, true],
  ["github.com/!123/logrus", false, false, true],

  // TODO: CL 41822 allowed Unicode letters in old "go get"
  // without due consideration of the implications, and only on github.com (!).
  // For now, we disallow non-ASCII characters in module mode,
  // in both module paths and general import paths,
  // until we can get the implications right.
  // When we do, we'll enable them everywhere, not just for GitHub.
  ["github.com/user/unicode/испытание", false, false, true],

  ["../x", false, false, false],
  ["./y", false, false, false],
  ["x:y", false, false, false],
  ["\\temp\\foo", false, false, false],
  [".gitignore", false, true, true], // older x/mod: importOK false
  [".github/ISSUE_TEMPLATE", false, true, true], // older x/mod: importOK false
  ["x☺y", false, false, false],
];

Deno.test("checkPath(), checkImportPath(), checkFilePath() follow x/mod checkPathTests", async (t) => {
  for (const [path, ok, importOK, fileOK] of checkPathTests) {
    await t.step(`${show(path)}: module=${ok} import=${importOK} file=${fileOK}`, () => {
      assert.equal(checkPath(path) === undefined, ok, `checkPath: ${checkPath(path)}`);
      assert.equal(
        checkImportPath(path) === undefined,
        importOK,
        `import: ${checkImportPath(path)}`,
      );
      assert.equal(checkFilePath(path) === undefined, fileOK, `file: ${checkFilePath(path)}`);
    });
  }
});

// Exact messages, each checked against go1.26's x/mod.
const checkPathErrors: [fn: (p: string) => string | undefined, path: string, want: string][] = [
  [checkPath, "", 'malformed module path "": empty string'],
  [checkPath, "x.y/z+", `malformed module path "x.y/z+": invalid char '+'`],
  [checkPath, "X.y/z", `malformed module path "X.y/z": invalid char 'X' in first path element`],
  [checkPath, "x/y", 'malformed module path "x/y": missing dot in first path element'],
  [checkPath, "x.y/z/v1", 'malformed module path "x.y/z/v1": invalid version'],
  [checkPath, ".x/z", 'malformed module path ".x/z": leading dot in path element'],
  [checkPath, "x.y/z/", 'malformed module path "x.y/z/": trailing slash'],
  [checkPath, "x.y//z", 'malformed module path "x.y//z": double slash'],
  [checkPath, "-x/z", 'malformed module path "-x/z": leading dash'],
  [
    checkPath,
    "x.y/z~1",
    'malformed module path "x.y/z~1": trailing tilde and digits in path element',
  ],
  [checkPath, "x.y/\uD800z", 'malformed module path "x.y/\\ufffdz": invalid UTF-8'],
  [checkImportPath, "x.y/z/..", 'malformed import path "x.y/z/..": invalid path element ".."'],
  [checkFilePath, "x.y/z.", 'malformed file path "x.y/z.": trailing dot in path element'],
  [checkFilePath, 'x.y/z"', `malformed file path "x.y/z\\"": invalid char '"'`],
  [checkFilePath, "x.y/z'", `malformed file path "x.y/z'": invalid char '\\''`],
  [checkFilePath, "a/☺", `malformed file path "a/☺": invalid char '☺'`],
  [
    checkFilePath,
    "x.y/Aux.foo",
    'malformed file path "x.y/Aux.foo": "Aux" disallowed as path element component on Windows',
  ],
  [checkFilePath, "a//b", 'malformed file path "a//b": double slash'],
  [checkFilePath, "", 'malformed file path "": empty string'],
];

Deno.test("check*Path() error texts match Go's", async (t) => {
  for (const [fn, path, want] of checkPathErrors) {
    await t.step(`${fn.name}(${show(path)}) = ${want}`, () => assert.equal(fn(path), want));
  }
});

const splitPathVersionTests: [pathPrefix: string, version: string][] = [
  ["x.y/z", ""],
  ["x.y/z", "/v2"],
  ["x.y/z", "/v3"],
  ["x.y/v", ""],
  ["gopkg.in/yaml", ".v0"],
  ["gopkg.in/yaml", ".v1"],
  ["gopkg.in/yaml", ".v2"],
  ["gopkg.in/yaml", ".v3"],
];

Deno.test("splitPathVersion() follows x/mod splitPathVersionTests", async (t) => {
  for (const [pathPrefix, version] of splitPathVersionTests) {
    await t.step(`splitPathVersion(${show(pathPrefix + version)})`, () => {
      assert.deepEqual(splitPathVersion(pathPrefix + version), {
        prefix: pathPrefix,
        pathMajor: version,
        ok: true,
      });
    });
  }
  await t.step("prefix+pathMajor adds up for every checkPathTests row", () => {
    for (const [path] of checkPathTests) {
      const { prefix, pathMajor } = splitPathVersion(path);
      assert.equal(prefix + pathMajor, path);
    }
  });
});

const escapeTests: { path: string; esc?: string }[] = [
  { path: "ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789" },
  { path: "github.com/GoogleCloudPlatform/omega", esc: "github.com/!google!cloud!platform/omega" },
];

Deno.test("escapePath() follows x/mod TestEscapePath", async (t) => {
  await t.step("invalid paths throw InvalidPathError", () => {
    for (const [path, ok] of checkPathTests) {
      if (!ok) assert.throws(() => escapePath(path), InvalidPathError, path);
    }
  });
  for (const { path, esc } of escapeTests) {
    await t.step(`escapePath(${show(path)}) = ${show(esc ?? path)}`, () => {
      assert.equal(escapePath(path), esc ?? path);
    });
  }
});

const badUnescape = [
  "github.com/GoogleCloudPlatform/omega",
  "github.com/!google!cloud!platform!/omega",
  "github.com/!0google!cloud!platform/omega",
  "github.com/!_google!cloud!platform/omega",
  "github.com/!!google!cloud!platform/omega",
  "",
];

Deno.test("unescapePath() follows x/mod TestUnescapePath", async (t) => {
  for (const bad of badUnescape) {
    await t.step(`unescapePath(${show(bad)}) throws`, () => {
      assert.throws(() => unescapePath(bad), /^Error: invalid escaped module path/);
    });
  }
  await t.step("invalid paths throw", () => {
    for (const [path, ok] of checkPathTests) {
      if (!ok) assert.throws(() => unescapePath(path), Error, path);
    }
  });
  for (const { path, esc } of escapeTests) {
    await t.step(`unescapePath(${show(esc ?? path)}) = ${show(path)}`, () => {
      assert.equal(unescapePath(esc ?? path), path);
    });
  }
  await t.step("messages match Go's", () => {
    assert.throws(
      () => unescapePath("github.com/!!x"),
      { message: 'invalid escaped module path "github.com/!!x"' },
    );
    assert.throws(
      () => unescapePath("x/y"),
      {
        message:
          'invalid escaped module path "x/y": malformed module path "x/y": missing dot in first path element',
      },
    );
  });
});

// Not in module_test.go; each row checked against go1.26's x/mod.
const escapeVersionTests: [v: string, esc: string | undefined][] = [
  ["v1.0.0", "v1.0.0"],
  ["v1.0.0-RC1", "v1.0.0-!r!c1"],
  ["v0.0.1-go1.21.3.linux-amd64", "v0.0.1-go1.21.3.linux-amd64"],
  ["v1.0.0+incompatible", "v1.0.0+incompatible"],
  ["master", "master"],
  ["v1!", undefined],
  ["v1/x", undefined],
  ["..", undefined],
  ["", undefined],
  ["con", undefined],
  ["v1.0.0.", undefined],
];

Deno.test("escapeVersion() and unescapeVersion() round-trip", async (t) => {
  for (const [v, esc] of escapeVersionTests) {
    await t.step(`escapeVersion(${show(v)}) = ${esc === undefined ? "error" : show(esc)}`, () => {
      if (esc === undefined) {
        assert.throws(() => escapeVersion(v), {
          message: `version ${JSON.stringify(v)} invalid: disallowed version string`,
        });
        assert.throws(() => escapeVersion(v), InvalidVersionError);
      } else {
        assert.equal(escapeVersion(v), esc);
        assert.equal(unescapeVersion(esc), v);
      }
    });
  }
  await t.step("unescapeVersion() messages match Go's", () => {
    assert.throws(() => unescapeVersion("v1.0.0-RC1"), {
      message: 'invalid escaped version "v1.0.0-RC1"',
    });
    assert.throws(() => unescapeVersion("v1!"), { message: 'invalid escaped version "v1!"' });
    assert.throws(() => unescapeVersion("a/b"), {
      message: `invalid escaped version "a/b": invalid char '/'`,
    });
  });
});

const matchPathMajorTests: [v: string, pathMajor: string, want: boolean][] = [
  ["v0.0.0", "", true],
  ["v0.0.0", "/v2", false],
  ["v0.0.0", ".v0", true],
  ["v0.0.0-20190510104115-cbcb75029529", ".v1", true],
  ["v1.0.0", "/v2", false],
  ["v1.0.0", ".v1", true],
  ["v1.0.0", ".v1-unstable", true],
  ["v2.0.0+incompatible", "", true],
  ["v2.0.0", "", false],
  ["v2.0.0", "/v2", true],
  ["v2.0.0", ".v2", true],
];

Deno.test("matchPathMajor() follows x/mod TestMatchPathMajor", async (t) => {
  for (const [v, pathMajor, want] of matchPathMajorTests) {
    await t.step(`matchPathMajor(${show(v)}, ${show(pathMajor)}) = ${want}`, () => {
      assert.equal(matchPathMajor(v, pathMajor), want);
    });
  }
  await t.step("check() message", () => {
    assert.equal(
      check("x.y/z/v2", "v3.0.0")?.message,
      "x.y/z/v2@v3.0.0: invalid version: should be v2, not v3",
    );
    assert.equal(
      check("x.y/z", "v2.0.0")?.message,
      "x.y/z@v2.0.0: invalid version: should be v0 or v1, not v2",
    );
    assert.equal(
      check("x.y/z", "1.0")?.message,
      "x.y/z@1.0: invalid version: not a semantic version",
    );
  });
});

const matchPrefixPatternsTests: [globs: string, target: string, want: boolean][] = [
  ["", "rsc.io/quote", false],
  ["/", "rsc.io/quote", false],
  ["*/quote", "rsc.io/quote", true],
  ["*/quo", "rsc.io/quote", false],
  ["*/quo??", "rsc.io/quote", true],
  ["*/quo*", "rsc.io/quote", true],
  ["*quo*", "rsc.io/quote", false],
  ["rsc.io", "rsc.io/quote", true],
  ["*.io", "rsc.io/quote", true],
  ["rsc.io/", "rsc.io/quote", true],
  ["rsc", "rsc.io/quote", false],
  ["rsc*", "rsc.io/quote", true],

  ["rsc.io", "rsc.io/quote/v3", true],
  ["*/quote", "rsc.io/quote/v3", true],
  ["*/quote/", "rsc.io/quote/v3", true],
  ["*/quote/*", "rsc.io/quote/v3", true],
  ["*/quote/*/", "rsc.io/quote/v3", true],
  ["*/v3", "rsc.io/quote/v3", false],
  ["*/*/v3", "rsc.io/quote/v3", true],
  ["*/*/*", "rsc.io/quote/v3", true],
  ["*/*/*/", "rsc.io/quote/v3", true],
  ["*/*/*", "rsc.io/quote", false],
  ["*/*/*/", "rsc.io/quote", false],

  ["*/*/*,,", "rsc.io/quote", false],
  ["*/*/*,,*/quote", "rsc.io/quote", true],
  [",,*/quote", "rsc.io/quote", true],

  // Not in module_test.go: malformed globs are skipped, the toolchain module.
  ["[,rsc.io", "rsc.io/quote", true],
  ["rsc.io/[", "rsc.io/quote", false],
  ["golang.org/*", "golang.org/toolchain", true],
  ["golang.org", "golang.org/toolchain", true],
  ["golang.org/x", "golang.org/toolchain", false],
];

Deno.test("matchPrefixPatterns() follows x/mod TestMatchPrefixPatterns", async (t) => {
  for (const [globs, target, want] of matchPrefixPatternsTests) {
    await t.step(`matchPrefixPatterns(${show(globs)}, ${show(target)}) = ${want}`, () => {
      assert.equal(matchPrefixPatterns(globs, target), want);
    });
  }
});

Deno.test("canonicalVersion() keeps +incompatible", () => {
  assert.equal(canonicalVersion("v1.2"), "v1.2.0");
  assert.equal(canonicalVersion("v1.2.3+meta"), "v1.2.3");
  assert.equal(canonicalVersion("v2.0.0+incompatible"), "v2.0.0+incompatible");
  assert.equal(canonicalVersion("v0.0.1-go1.21.3.linux-amd64"), "v0.0.1-go1.21.3.linux-amd64");
  assert.equal(canonicalVersion("1.2"), "");
});
