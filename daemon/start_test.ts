import assert from "node:assert/strict";
import { DAEMON_V8_FLAGS, daemonCommand, programArgv, programForm } from "./start.ts";

Deno.test("programForm and programArgv: the three forms gtc runs in", () => {
  const cases = [
    {
      name: "compiled binary: the executable is gtc",
      facts: { standalone: true, execPath: "/home/u/.local/bin/gtc", moduleUrl: "file:///x/y.js" },
      argv: ["/home/u/.local/bin/gtc"],
    },
    {
      name: "bundle: the runtime runs the file, with no deno.json",
      facts: {
        standalone: false,
        execPath: "/usr/bin/deno",
        moduleUrl: "file:///opt/g%20tc/gtc.js",
      },
      argv: [
        "/usr/bin/deno",
        "run",
        "--allow-all",
        "--no-prompt",
        "--no-config",
        "/opt/g tc/gtc.js",
      ],
    },
    {
      name: "source checkout: cli/main.ts with the checkout's deno.json",
      facts: {
        standalone: false,
        execPath: "/r/.tools/deno",
        moduleUrl: "file:///r/daemon/start.ts",
      },
      argv: [
        "/r/.tools/deno",
        "run",
        "--allow-all",
        "--no-prompt",
        "--config=/r/deno.json",
        "/r/cli/main.ts",
      ],
    },
    {
      name: "a Windows bundle path loses the URL's leading slash",
      facts: { standalone: false, execPath: "C:\\deno.exe", moduleUrl: "file:///C:/gtc/gtc.js" },
      argv: ["C:\\deno.exe", "run", "--allow-all", "--no-prompt", "--no-config", "C:/gtc/gtc.js"],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(programArgv(programForm(c.facts)), c.argv, c.name);
  }
  assert.throws(
    () => programForm({ standalone: false, execPath: "deno", moduleUrl: "https://x/gtc.js" }),
    /cannot start a daemon from https:\/\/x\/gtc.js: run gtc from a file/,
  );
});

Deno.test("daemonCommand from this checkout runs cli/main.ts daemon run with the daemon's V8 flags", () => {
  const cmd = daemonCommand();
  assert.equal(cmd[0], Deno.execPath());
  assert.ok(cmd.includes(`--v8-flags=${DAEMON_V8_FLAGS}`));
  assert.ok(cmd.includes(new URL("../cli/main.ts", import.meta.url).pathname));
  assert.deepEqual(cmd.slice(-3), ["daemon", "run", "--background"]);
});
