/**
 * The daemon's log: one line per event, appended synchronously, rotated
 * when it grows past a size (daemon.log → daemon.log.1 → daemon.log.2).
 *
 * @module
 */

/** Logger receives the daemon's messages. */
export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

/** FileLoggerOptions place and bound the log. */
export interface FileLoggerOptions {
  /** The log file; undefined: no file. */
  path?: string;
  /** Also write to stderr (foreground runs). */
  stderr?: boolean;
  /** Rotate past this size (default 1 MiB). */
  maxBytes?: number;
  /** Rotated files kept (default 2). */
  keep?: number;
}

/** FileLogger appends to a file and rotates it. */
export class FileLogger implements Logger {
  #path: string | undefined;
  #stderr: boolean;
  #maxBytes: number;
  #keep: number;
  #file: Deno.FsFile | undefined;
  #size = 0;
  #enc = new TextEncoder();

  constructor(opts: FileLoggerOptions) {
    this.#path = opts.path;
    this.#stderr = opts.stderr ?? false;
    this.#maxBytes = opts.maxBytes ?? 1 << 20;
    this.#keep = opts.keep ?? 2;
    this.#open();
  }

  /** path is the log file, or null. */
  get path(): string | null {
    return this.#path ?? null;
  }

  #open(): void {
    if (this.#path === undefined) return;
    try {
      this.#file = Deno.openSync(this.#path, { append: true, create: true, mode: 0o600 });
      this.#size = this.#file.statSync().size;
    } catch (e) {
      this.#file = undefined;
      this.#write(`warn: cannot open log ${this.#path}: ${e instanceof Error ? e.message : e}`);
    }
  }

  #rotate(): void {
    if (this.#path === undefined) return;
    try {
      this.#file?.close();
    } catch {
      // Already closed.
    }
    for (let i = this.#keep; i >= 1; i--) {
      const from = i === 1 ? this.#path : `${this.#path}.${i - 1}`;
      try {
        Deno.renameSync(from, `${this.#path}.${i}`);
      } catch {
        // Not there yet.
      }
    }
    this.#open();
  }

  #write(line: string): void {
    const bytes = this.#enc.encode(line + "\n");
    if (this.#stderr) {
      try {
        Deno.stderr.writeSync(bytes);
      } catch {
        // No stderr.
      }
    }
    if (this.#file === undefined) return;
    if (this.#size + bytes.length > this.#maxBytes) this.#rotate();
    try {
      let off = 0;
      while (off < bytes.length) off += this.#file!.writeSync(bytes.subarray(off));
      this.#size += bytes.length;
    } catch {
      // A full disk must not stop the daemon.
    }
  }

  #line(level: string, msg: string): void {
    this.#write(`${new Date().toISOString()} ${level} ${msg}`);
  }

  info(msg: string): void {
    this.#line("info", msg);
  }
  warn(msg: string): void {
    this.#line("warn", msg);
  }
  error(msg: string): void {
    this.#line("error", msg);
  }
}
