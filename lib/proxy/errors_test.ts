import assert from "node:assert/strict";
import { formatErrorDetail, HttpError, isNotExist, responseError } from "./errors.ts";
import { InvalidVersionError, ModuleError } from "../module/mod.ts";

const y80 = "y".repeat(80);
const z81 = "z".repeat(81);
const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");

// Each row checked against go1.26's web.Response.formatErrorDetail.
const formatErrorDetailTests: [body: string, want: string][] = [
  [
    "not found: golang.org/toolchain@v0.0.1-go1.99.linux-amd64: invalid version",
    "not found: golang.org/toolchain@v0.0.1-go1.99.linux-amd64: invalid version",
  ],
  ["line one\nline two\n", "line one\n\tline two"],
  ["first\n\nafter blank", "first"],
  ["\nleading blank", ""],
  ["  \nspaces line", ""],
  [lines(10), lines(8).replaceAll("\n", "\n\t") + "\n\t[Truncated: too many lines.]"],
  [lines(8), lines(8).replaceAll("\n", "\n\t")],
  ["x".repeat(700), "[Truncated: too long.]"],
  [(y80 + "\n").repeat(8), Array(7).fill(y80).join("\n\t") + "\n\t[Truncated: too long.]"],
  [(z81 + "\n").repeat(9), Array(7).fill(z81).join("\n\t") + "\n\t[Truncated: too long.]"],
  ["bell \x07 here", ""],
  ["tab\tis space", "tab\tis space"],
  ["café — ok", "café — ok"],
  ["zero\u200bwidth", ""], // U+200B is a format character, not graphic
  ["cr\r\nlf", "cr\r\n\tlf"],
  ["nbsp\u00a0ok", "nbsp\u00a0ok"],
  ["", ""],
];

Deno.test("formatErrorDetail() follows web.formatErrorDetail", async (t) => {
  for (const [body, want] of formatErrorDetailTests) {
    await t.step(`formatErrorDetail(${JSON.stringify(body.slice(0, 40))})`, () => {
      assert.equal(formatErrorDetail(new TextEncoder().encode(body)), want);
    });
  }
  await t.step("invalid UTF-8 gives no detail", () => {
    assert.equal(formatErrorDetail(new Uint8Array([0x6f, 0x6b, 0xff])), "");
  });
});

Deno.test("HttpError prints as web.HTTPError", () => {
  const u = "https://proxy.golang.org/golang.org/toolchain/@v/v0.0.1-go1.99.0.linux-amd64.zip";
  assert.equal(new HttpError(u, 404, "404 Not Found", "").message, `reading ${u}: 404 Not Found`);
  assert.equal(
    new HttpError(u, 404, "404 Not Found", "not found: unknown revision").message,
    `reading ${u}: 404 Not Found\n\tserver response: not found: unknown revision`,
  );
  assert.equal(
    new HttpError(u, 500, "500 Internal Server Error", "a\n\tb").message,
    `reading ${u}: 500 Internal Server Error\n\tserver response:\n\ta\n\tb`,
  );
  assert.equal(
    new HttpError("file:///p/x/@v/list", 404, "404 Not Found", "", "no such file or directory")
      .message,
    "reading file:///p/x/@v/list: no such file or directory",
  );
});

Deno.test("isNotExist() sees 404 and 410 through ModuleError wrappers", () => {
  const e404 = new HttpError("u", 404, "404 Not Found", "");
  const e410 = new HttpError("u", 410, "410 Gone", "");
  const e500 = new HttpError("u", 500, "500 Internal Server Error", "");
  assert.ok(isNotExist(e404));
  assert.ok(isNotExist(e410));
  assert.ok(!isNotExist(e500));
  assert.ok(isNotExist(new ModuleError("x.y/z", "v1.0.0", e404)));
  assert.ok(
    isNotExist(
      new ModuleError(
        "x.y/z",
        "",
        new InvalidVersionError("v1", false, e410.message, { cause: e410 }),
      ),
    ),
  );
  assert.ok(!isNotExist(new ModuleError("x.y/z", "v1.0.0", e500)));
  assert.ok(!isNotExist(new Error("x")));
});

function res(status: number, body: string, type?: string) {
  // A byte body, so that Response adds no Content-Type of its own.
  const r = new Response(new TextEncoder().encode(body), {
    status,
    headers: type ? { "content-type": type } : {},
  });
  return { status, headers: r.headers, body: r.body, url: "u" };
}

Deno.test("responseError() reads server responses only from text/plain UTF-8 bodies", async () => {
  assert.equal(await responseError("u", res(200, "ok")), undefined);
  const plain = await responseError("u", res(404, "gone fishing\n", "text/plain; charset=utf-8"));
  assert.equal(plain?.message, "reading u: 404 Not Found\n\tserver response: gone fishing");
  const ascii = await responseError("u", res(410, "bye", "Text/Plain; Charset=US-ASCII"));
  assert.equal(ascii?.message, "reading u: 410 Gone\n\tserver response: bye");
  const html = await responseError("u", res(404, "<h1>no</h1>", "text/html"));
  assert.equal(html?.message, "reading u: 404 Not Found");
  const latin1 = await responseError("u", res(404, "no", "text/plain; charset=iso-8859-1"));
  assert.equal(latin1?.message, "reading u: 404 Not Found");
  const untyped = await responseError("u", res(500, "boom"));
  assert.equal(untyped?.message, "reading u: 500 Internal Server Error");
});
