/**
 * A one-line download progress display for a terminal: bytes, rate and ETA.
 * Silent unless stderr is a terminal (and not with --json), so logs and
 * pipes never get control sequences.
 *
 * It is a few lines rather than a library: cli-progress prints nothing
 * useful without a TTY and has no rate token (shared/spec/deno-stack.md §6).
 *
 * @module
 */

const enc = new TextEncoder();

/** formatBytes renders a byte count with binary units: "12.3 MiB". */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

/** Progress draws and clears one status line on stderr. */
export class Progress {
  readonly #enabled: boolean;
  readonly #label: string;
  readonly #start = performance.now();
  #last = 0;
  #drawn = false;

  constructor(label: string, enabled = Deno.stderr.isTerminal()) {
    this.#label = label;
    this.#enabled = enabled;
  }

  /** update redraws at most ten times a second. */
  update(bytes: number, total?: number): void {
    if (!this.#enabled) return;
    const now = performance.now();
    if (now - this.#last < 100 && (total === undefined || bytes < total)) return;
    this.#last = now;
    const secs = (now - this.#start) / 1000;
    const rate = secs > 0 ? bytes / secs : 0;
    let line = `${this.#label}  ${formatBytes(bytes)}`;
    if (total !== undefined) line += ` / ${formatBytes(total)}`;
    line += `  ${formatBytes(Math.round(rate))}/s`;
    if (total !== undefined && rate > 0 && bytes < total) {
      line += `  ETA ${Math.ceil((total - bytes) / rate)}s`;
    }
    Deno.stderr.writeSync(enc.encode(`\r\x1b[2K${line}`));
    this.#drawn = true;
  }

  /** done clears the line. */
  done(): void {
    if (this.#drawn) Deno.stderr.writeSync(enc.encode("\r\x1b[2K"));
    this.#drawn = false;
  }
}
