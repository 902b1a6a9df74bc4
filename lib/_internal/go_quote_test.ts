import assert from "node:assert/strict";
import { goQuote } from "./go_quote.ts";

// quoteTests pairs each input with what Go's strconv.Quote (the %q verb)
// returns for it. The expected values were produced by running
// strconv.Quote under go1.26.8 (unicode.Version 15.0.0), not written by hand.
// Inputs that Go can hold but a JS string cannot (invalid UTF-8, lone
// surrogates) have no rows.
const quoteTests: [string, string][] = [
  // empty
  ["", '""'],
  // plain ASCII
  ["go1.21.0", '"go1.21.0"'],
  // a toolchain name with a space
  ["go1.500 (bigcorp)", '"go1.500 (bigcorp)"'],
  // NUL
  ["\u{0}", '"\\x00"'],
  // the escapes with a letter
  ["\u{7}\u{8}\u{c}\u{a}\u{d}\u{9}\u{b}", '"\\a\\b\\f\\n\\r\\t\\v"'],
  // other C0 controls
  ["\u{1}\u{1b}\u{1f}", '"\\x01\\x1b\\x1f"'],
  // DEL
  ["\u{7f}", '"\\x7f"'],
  // double quote
  ['say "hi"', '"say \\"hi\\""'],
  // backslash
  ["C:\\go\\bin", '"C:\\\\go\\\\bin"'],
  // single quote is not escaped
  ["it's", '"it\'s"'],
  // backquote is not escaped
  ["`x`", '"`x`"'],
  // C1 control U+0080
  ["\u{80}", '"\\u0080"'],
  // NEL U+0085
  ["\u{85}", '"\\u0085"'],
  // C1 control U+009F
  ["\u{9f}", '"\\u009f"'],
  // no-break space U+00A0
  ["\u{a0}", '"\\u00a0"'],
  // inverted exclamation U+00A1
  ["\u{a1}", '"¡"'],
  // soft hyphen U+00AD
  ["\u{ad}", '"\\u00ad"'],
  // Latin-1 letters
  ["\u{e9} \u{ff}", '"é ÿ"'],
  // Greek
  ["\u{395}\u{3bb}\u{3bb}\u{3b7}\u{3bd}\u{3b9}\u{3ba}\u{3ac}", '"Ελληνικά"'],
  // CJK
  ["\u{65e5}\u{672c}\u{8a9e}", '"日本語"'],
  // titlecase letter U+01C5
  ["\u{1c5}", '"ǅ"'],
  // combining acute after e
  ["e\u{301}", '"e\u{301}"'],
  // lone combining grave U+0300
  ["\u{300}", '"\u{300}"'],
  // unassigned U+0378
  ["\u{378}", '"\\u0378"'],
  // Arabic number sign U+0600 (Cf)
  ["\u{600}", '"\\u0600"'],
  // Arabic letter mark U+061C (Cf)
  ["\u{61c}", '"\\u061c"'],
  // ogham space mark U+1680 (Zs)
  ["\u{1680}", '"\\u1680"'],
  // zero-width space U+200B
  ["\u{200b}", '"\\u200b"'],
  // zero-width joiner U+200D
  ["\u{200d}", '"\\u200d"'],
  // line separator U+2028
  ["\u{2028}", '"\\u2028"'],
  // paragraph separator U+2029
  ["\u{2029}", '"\\u2029"'],
  // word joiner U+2060
  ["\u{2060}", '"\\u2060"'],
  // Roman numeral U+2162 (Nl)
  ["\u{2162}", '"Ⅲ"'],
  // ideographic space U+3000
  ["\u{3000}", '"\\u3000"'],
  // private use U+E000
  ["\u{e000}", '"\\ue000"'],
  // byte order mark U+FEFF
  ["\u{feff}", '"\\ufeff"'],
  // replacement character U+FFFD
  ["\u{fffd}", '"�"'],
  // noncharacter U+FFFE
  ["\u{fffe}", '"\\ufffe"'],
  // noncharacter U+FFFF
  ["\u{ffff}", '"\\uffff"'],
  // math bold A U+1D400
  ["\u{1d400}", '"𝐀"'],
  // emoji U+1F600
  ["\u{1f600}", '"😀"'],
  // flag (two regional indicators)
  ["\u{1f1fa}\u{1f1f8}", '"🇺🇸"'],
  // family emoji joined by U+200D
  ["\u{1f468}\u{200d}\u{1f469}\u{200d}\u{1f467}", '"👨\\u200d👩\\u200d👧"'],
  // language tag U+E0001 (Cf)
  ["\u{e0001}", '"\\U000e0001"'],
  // supplementary private use U+F0000
  ["\u{f0000}", '"\\U000f0000"'],
  // last code point U+10FFFF
  ["\u{10ffff}", '"\\U0010ffff"'],
  // Unicode 15.1 ideographic description U+2FFC
  ["\u{2ffc}", '"\\u2ffc"'],
  // Unicode 15.1 CJK stroke U+31EF
  ["\u{31ef}", '"\\u31ef"'],
  // Unicode 16.0 emoji U+1FAE9
  ["\u{1fae9}", '"\\U0001fae9"'],
  // Unicode 16.0 legacy computing U+1CC00
  ["\u{1cc00}", '"\\U0001cc00"'],
  // Unicode 15.0 emoji U+1FAE8
  ["\u{1fae8}", '"🫨"'],
];

// show writes s as the JS string literal of the table, with every code point
// outside printable ASCII as \u{...}, so step names stay readable.
function show(s: string): string {
  let out = "'";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "'" || ch === "\\") out += "\\" + ch;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else out += `\\u{${c.toString(16)}}`;
  }
  return out + "'";
}

Deno.test("goQuote() matches strconv.Quote", async (t) => {
  for (const [s, want] of quoteTests) {
    await t.step(`goQuote(${show(s)}) = ${show(want)}`, () => {
      assert.equal(goQuote(s), want);
    });
  }
});
