/**
 * lib/ci's GitHub Actions files, read back the way the runner reads them
 * (tests/ci/actions.ts): every value round-trips, heredocs for values with
 * line breaks, delimiters that never occur in the value, the path order.
 */
import { deepEqual, equal, throws } from "node:assert/strict";
import { githubEnvLines, githubPathLines } from "../../lib/ci/mod.ts";
import { githubPath, parseGithubEnv } from "./actions.ts";

Deno.test("the runner model: KEY=value, heredoc, errors", () => {
  deepEqual(parseGithubEnv(""), []);
  deepEqual(parseGithubEnv("A=1\n\nB==2<<x\nC=\n"), [["A", "1"], ["B", "=2<<x"], ["C", ""]]);
  deepEqual(parseGithubEnv("A=no newline"), [["A", "no newline"]]);
  deepEqual(parseGithubEnv("A=x\r\n"), [["A", "x\r"]]);
  deepEqual(parseGithubEnv("A=x\r\n", true), [["A", "x"]]);
  deepEqual(parseGithubEnv("M<<EOF\nl1\n\nl3\nEOF\nN=2\n"), [["M", "l1\n\nl3"], ["N", "2"]]);
  deepEqual(parseGithubEnv("M<<EOF\nEOF\n"), [["M", ""]]);
  deepEqual(parseGithubEnv("M<<EOF\n\nEOF\n"), [["M", ""]]);
  deepEqual(parseGithubEnv("M<<A=B\nv\nA=B\n"), [["M", "v"]]);
  deepEqual(parseGithubEnv("M<<EOF\r\nv\r\nEOF\r\n", true), [["M", "v"]]);
  throws(() => parseGithubEnv("M<<EOF\nv\n"), /Matching delimiter not found 'EOF'/);
  throws(() => parseGithubEnv("<<EOF\nEOF\n"), /name must not be empty/);
  throws(() => parseGithubEnv("M<<\n\n"), /delimiter must not be empty/);
  throws(() => parseGithubEnv("JUSTANAME\n"), /Invalid environment variable format 'JUSTANAME'/);
  equal(githubPath("/a\n/b\n", "/usr/bin"), "/b:/a:/usr/bin");
  equal(githubPath("/a\r\n\n/b\r/a\n", "/usr/bin"), "/a:/b:/usr/bin");
  equal(githubPath("", "/usr/bin"), "/usr/bin");
});

Deno.test("githubEnvLines: what the runner reads back is what was written", () => {
  const values = [
    "",
    "/usr/local/go",
    "go1.22.3",
    "a=b",
    "a<<b",
    "  spaced  ",
    "two\nlines",
    "trailing newline\n",
    "\nleading newline",
    "crlf\r\ninside",
    "cr\rinside",
    "EOF",
    "EOF\nEOF",
    "ghadelimiter_x\nghadelimiter_x",
    "ünïcödé\n✓",
  ];
  for (const v of values) {
    const text = githubEnvLines([["K", v]]);
    deepEqual(parseGithubEnv(text), [["K", v]], JSON.stringify(v));
    deepEqual(parseGithubEnv(text, true), [["K", v]], `windows: ${JSON.stringify(v)}`);
    // Appended after other steps' lines, it still reads back.
    deepEqual(parseGithubEnv("X=1\n" + text + "Y<<Z\nz\nZ\n"), [["X", "1"], ["K", v], ["Y", "z"]]);
  }
  equal(
    githubEnvLines([["GOROOT", "/g"], ["GOTOOLCHAIN", "local"]]),
    "GOROOT=/g\nGOTOOLCHAIN=local\n",
  );
});

Deno.test("githubEnvLines: a fresh delimiter whenever one occurs in the value", () => {
  const offered = ["EOF", "EOF2", "X"];
  let i = 0;
  const text = githubEnvLines([["K", "a\nEOF\nEOF2"]], () => offered[i++]);
  equal(text, "K<<X\na\nEOF\nEOF2\nX\n");
  deepEqual(parseGithubEnv(text), [["K", "a\nEOF\nEOF2"]]);
  throws(() => githubEnvLines([["K", "a\nb"]], () => "a"), /no delimiter fits/);
});

Deno.test("githubEnvLines: refuses what the runner cannot read back", () => {
  throws(() => githubEnvLines([["", "v"]]), /invalid name/);
  throws(() => githubEnvLines([["A=B", "v"]]), /invalid name/);
  throws(() => githubEnvLines([["A<<B", "v"]]), /invalid name/);
  throws(() => githubEnvLines([["A\nB", "v"]]), /invalid name/);
  throws(() => githubEnvLines([["K", "ends in CR\r"]]), /carriage return/);
});

Deno.test("githubPathLines: the first directory ends up first in PATH", () => {
  equal(githubPathLines(["/g/bin"]), "/g/bin\n");
  const text = githubPathLines(["/first", "/second"]);
  equal(githubPath(text, "/usr/bin"), "/first:/second:/usr/bin");
  equal(githubPath("/earlier\n" + text, "/usr/bin"), "/first:/second:/earlier:/usr/bin");
  throws(() => githubPathLines(["/a\nb"]), /cannot write/);
  throws(() => githubPathLines(["/a\rb"]), /cannot write/);
  throws(() => githubPathLines([""]), /cannot write/);
});
