import { deepEqual, equal, throws } from "node:assert/strict";
import { MemFs } from "../_internal/mem_fs.ts";
import { FsError } from "../_internal/sys.ts";
import { OverlayFs } from "./overlay.ts";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("OverlayFs replaces contents and sizes, reads everything else through", () => {
  const base = new MemFs({ "/m/go.mod": "module m\n", "/m/sub/": "", "/l": "-> /m" });
  const fs = new OverlayFs(base);
  fs.set("/m/go.mod", enc("module m\n\ngo 1.30\n"));
  equal(dec(fs.readFile("/m/go.mod")), "module m\n\ngo 1.30\n");
  equal(fs.stat("/m/go.mod")?.size, 18);
  equal(fs.lstat("/m/go.mod")?.size, 18);
  equal(fs.stat("/m/go.mod")?.isFile, true);
  // The base is untouched, and so is every other path.
  equal(dec(base.readFile("/m/go.mod")), "module m\n");
  equal(dec(fs.original("/m/go.mod")), "module m\n");
  equal(fs.stat("/m/sub")?.isDirectory, true);
  deepEqual(fs.readDir("/m").sort(), ["go.mod", "sub"]);
  equal(fs.lstat("/l")?.isSymlink, true);
  equal(fs.readLink("/l"), "/m");
  equal(fs.realPath("/l"), "/m");
  throws(() => fs.readFile("/m/none"), FsError);
  equal(fs.stat("/m/none"), undefined);
  // Callers may not change the replacement through the returned bytes.
  fs.readFile("/m/go.mod")[0] = 0;
  equal(dec(fs.readFile("/m/go.mod")).slice(0, 6), "module");
  deepEqual(fs.paths(), ["/m/go.mod"]);
  fs.delete("/m/go.mod");
  equal(dec(fs.readFile("/m/go.mod")), "module m\n");
  deepEqual(fs.paths(), []);
});

Deno.test("OverlayFs: a file set through a symlink is replaced under both names", () => {
  const base = new MemFs({ "/m/go.mod": "module m\n", "/l": "-> /m" });
  const fs = new OverlayFs(base);
  fs.set("/l/go.mod", enc("x"));
  equal(dec(fs.readFile("/l/go.mod")), "x");
  equal(dec(fs.readFile("/m/go.mod")), "x");
  equal(fs.has("/m/go.mod"), true);
  deepEqual(fs.paths(), ["/l/go.mod"]);
  fs.set("/l/go.mod", enc("y"));
  equal(dec(fs.readFile("/m/go.mod")), "y");
  fs.delete("/l/go.mod");
  equal(dec(fs.readFile("/m/go.mod")), "module m\n");
  equal(fs.has("/m/go.mod"), false);
  fs.set("/l/go.mod", enc("z"));
  fs.clear();
  deepEqual(fs.paths(), []);
  equal(dec(fs.readFile("/l/go.mod")), "module m\n");
});
