import { deepEqual, equal } from "node:assert/strict";
import { addHistory, formatHistory, historyLimit, historyPath, parseHistory } from "./history.ts";

Deno.test("history: bounded, oldest first, no blank lines or repeats of the last entry", () => {
  equal(historyPath("/h"), "/h/repl_history");
  equal(historyPath("C:\\h", "windows"), "C:\\h\\repl_history");
  deepEqual(parseHistory(""), []);
  deepEqual(parseHistory("a\nb\n"), ["a", "b"]);
  deepEqual(parseHistory("a\r\n  \nb\nb\na"), ["a", "b", "a"]);
  deepEqual(parseHistory("1\n2\n3\n4\n", 2), ["3", "4"]);
  let h: string[] = [];
  for (let i = 0; i < historyLimit + 10; i++) h = addHistory(h, `echo ${i}`);
  equal(h.length, historyLimit);
  equal(h[0], "echo 10");
  equal(h[h.length - 1], `echo ${historyLimit + 9}`);
  deepEqual(addHistory(["a"], "a"), ["a"]);
  deepEqual(addHistory(["a"], "  "), ["a"]);
  deepEqual(addHistory(["a"], "b", 1), ["b"]);
  equal(formatHistory([]), "");
  equal(formatHistory(["a", "b"]), "a\nb\n");
  deepEqual(parseHistory(formatHistory(h)), h);
});
