/**
 * What the benchmarks share: finding the go command they compare with.
 *
 * @module
 */

/** findGo returns the go command: /usr/local/go/bin/go, else the first go on PATH. */
export function findGo(): string | undefined {
  for (const dir of ["/usr/local/go/bin", ...(Deno.env.get("PATH") ?? "").split(":")]) {
    try {
      if (Deno.statSync(`${dir}/go`).isFile) return `${dir}/go`;
    } catch {
      // not here
    }
  }
  return undefined;
}
