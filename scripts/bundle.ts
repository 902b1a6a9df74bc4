/**
 * deno task bundle: gtc as one JavaScript file (default dist/gtc.js) with
 * `deno bundle`: cli/main.ts and everything it imports — npm packages, the
 * hook scripts (text imports), deno.json's version — in a single module that
 * needs no checkout, no node_modules and no deno.json beside it. Run it with
 * `deno run -A --no-config gtc.js …`, or directly (it starts with a
 * `#!/usr/bin/env -S deno run …` line and is made executable).
 *
 * Prints the file's size and what it holds (bytes per top directory or npm
 * package, from the module markers deno bundle writes), and refuses a bundle
 * that holds test code or fixtures.
 *
 * Usage: deno run -A scripts/bundle.ts [--minify] [--quiet] [out]
 *
 * @module
 */

const args = Deno.args.filter((a) => !a.startsWith("--"));
const minify = Deno.args.includes("--minify");
const quiet = Deno.args.includes("--quiet");
const out = args[0] ?? "dist/gtc.js";
const root = new URL("..", import.meta.url).pathname;

/** The line that makes the bundle a program; --no-config: a deno.json where it runs must not apply. */
const SHEBANG = "#!/usr/bin/env -S deno run --allow-all --no-config --no-prompt\n";

const dir = out.includes("/") ? out.slice(0, out.lastIndexOf("/")) : ".";
await Deno.mkdir(dir, { recursive: true });
// Bundle the unminified text first: its `// path` markers say what is inside.
const tmp = await Deno.makeTempFile({ dir, prefix: ".gtc-bundle-", suffix: ".js" });
try {
  const plain = await bundle(tmp, false);
  const contents = inventory(plain);
  const bad = [...contents.keys()].filter((k) => /^(tests|scripts)\b|_test\.ts$|fixtures/.test(k));
  if (bad.length > 0) {
    throw new Error(`the bundle holds test or build code: ${bad.join(", ")}`);
  }
  const text = minify ? await bundle(tmp, true) : plain;
  // Written beside the target and renamed: never a half-written gtc.js.
  await Deno.writeTextFile(tmp, SHEBANG + text.replace(/^#!.*\n/, ""), { mode: 0o755 });
  await Deno.chmod(tmp, 0o755);
  await Deno.rename(tmp, out);
  if (!quiet) {
    const size = (await Deno.stat(out)).size;
    console.log(
      `bundle: wrote ${out} (${(size / 1e6).toFixed(2)} MB${minify ? ", minified" : ""})`,
    );
    const rows = [...contents].sort((a, b) => b[1] - a[1]);
    for (const [k, n] of rows) console.log(`  ${(n / 1e3).toFixed(0).padStart(6)} kB  ${k}`);
  }
} catch (e) {
  await Deno.remove(tmp).catch(() => {});
  console.error(`bundle: ${e instanceof Error ? e.message : e}`);
  Deno.exit(1);
}

async function bundle(file: string, min: boolean): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform=deno",
      `--config=${root}deno.json`,
      ...(min ? ["--minify"] : []),
      "--output",
      file,
      `${root}cli/main.ts`,
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!r.success) throw new Error(`deno bundle failed (exit ${r.code})`);
  return await Deno.readTextFile(file);
}

// inventory sums the bundle's bytes by origin: the top directory of this
// repository (cli, daemon, lib, deno.json) or the npm package.
function inventory(text: string): Map<string, number> {
  const sizes = new Map<string, number>();
  let key = "(runtime helpers)";
  for (const line of text.split("\n")) {
    const m = /^\/\/ (\S+)$/.exec(line);
    if (m) key = origin(m[1]);
    sizes.set(key, (sizes.get(key) ?? 0) + line.length + 1);
  }
  return sizes;
}

function origin(path: string): string {
  const npm = /node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (npm) return `npm:${npm[1]}`;
  const top = path.replace(/^(\.\.\/)+/, "").split("/");
  return top.length > 1 ? `${top[0]}/` : top[0];
}
