/**
 * How the GitHub Actions runner reads a step's $GITHUB_ENV and $GITHUB_PATH
 * files, as a model for tests: a port of actions/runner
 * src/Runner.Worker/FileCommandManager.cs (SetEnvFileCommand,
 * AddPathFileCommand) and of how the runner puts PrependPath before PATH.
 *
 * @module
 */

// readLine mirrors SetEnvFileCommand.ReadLine: a line ends at "\n"; on
// Windows runners "\r\n" ends it too.
function readLine(
  text: string,
  at: { index: number },
  windows: boolean,
): { line: string; newline: string | null } | null {
  if (at.index >= text.length) return null;
  const start = at.index;
  const lf = text.indexOf("\n", start);
  if (lf < 0) {
    at.index = text.length;
    return { line: text.slice(start), newline: null };
  }
  if (windows) {
    const crlf = text.indexOf("\r\n", start);
    if (crlf >= 0 && crlf < lf) {
      at.index = crlf + 2;
      return { line: text.slice(start, crlf), newline: "\r\n" };
    }
  }
  at.index = lf + 1;
  return { line: text.slice(start, lf), newline: "\n" };
}

/**
 * parseGithubEnv reads a $GITHUB_ENV file into [name, value] pairs in order
 * (a later pair overrides an earlier one), throwing the runner's errors.
 */
export function parseGithubEnv(text: string, windows = false): [string, string][] {
  const out: [string, string][] = [];
  const at = { index: 0 };
  let r = readLine(text, at, windows);
  while (r !== null) {
    const line = r.line;
    if (line !== "") {
      const eq = line.indexOf("=");
      const hd = line.indexOf("<<");
      if (eq >= 0 && (hd < 0 || eq < hd)) {
        out.push([line.slice(0, eq), line.slice(eq + 1)]);
      } else if (hd >= 0 && (eq < 0 || hd < eq)) {
        const name = line.slice(0, hd);
        const delimiter = line.slice(hd + 2);
        if (name === "" || delimiter === "") {
          throw new Error(
            `Invalid environment variable format '${line}'. Environment variable name must not be empty and delimiter must not be empty`,
          );
        }
        const start = at.index;
        let end = at.index;
        let t = readLine(text, at, windows);
        while (t?.line !== delimiter) {
          if (t === null) {
            throw new Error(
              `Invalid environment variable value. Matching delimiter not found '${delimiter}'`,
            );
          }
          end = at.index - (t.newline?.length ?? 0);
          t = readLine(text, at, windows);
        }
        out.push([name, end > start ? text.slice(start, end) : ""]);
      } else {
        throw new Error(`Invalid environment variable format '${line}'`);
      }
    }
    r = readLine(text, at, windows);
  }
  return out;
}

/**
 * githubPath gives the PATH of the next step: each non-empty line of the
 * $GITHUB_PATH file (File.ReadAllLines: split at "\r\n", "\n" or "\r") is
 * moved to the end of PrependPath, and PrependPath goes before PATH in
 * reverse order.
 */
export function githubPath(text: string, path: string): string {
  const prepend: string[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line === "") continue;
    const i = prepend.indexOf(line);
    if (i >= 0) prepend.splice(i, 1);
    prepend.push(line);
  }
  return [...prepend.reverse(), ...(path === "" ? [] : [path])].join(":");
}
