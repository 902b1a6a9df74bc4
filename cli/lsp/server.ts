/**
 * `gtc lsp`: a language server over stdio for go.mod and go.work files, a
 * thin adapter between the Language Server Protocol (vscode-languageserver)
 * and gtc's answers (the daemon's, through ./backend.ts).
 *
 * - Answers are per directory, resolved against the files on disk and
 *   pushed by the daemon when they change: typing never re-resolves. Only
 *   the syntax of an unsaved buffer is checked as it changes (a parse of a
 *   few hundred bytes, debounced).
 * - State is kept for open documents only; closing one forgets it, and the
 *   last document of a directory ends that directory's subscription.
 *
 * @module
 */

import process from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  type CodeAction,
  CodeActionKind,
  type CodeLens,
  type Connection,
  createConnection,
  type Diagnostic,
  DiagnosticSeverity,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type InlayHint,
  MarkupKind,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { Explanation } from "../../mod.ts";
import { loadDiagnostics, parseErrors } from "../../lib/resolve/mod.ts";
import { denoHost } from "../../lib/host/host.ts";
import { notAvailable } from "../../lib/install/mod.ts";
import { toolchainModuleVersion } from "../../lib/module/mod.ts";
import { basename, dirname } from "../../lib/_internal/path.ts";
import { type Backend, openBackend, type Watch } from "./backend.ts";
import {
  type DirectiveLine,
  directiveLines,
  hintLabel,
  hoverMarkdown,
  lineEdit,
  problems,
} from "./features.ts";

/** The commands the server executes (workspace/executeCommand). */
export const commands = { why: "gtc.why", install: "gtc.install" } as const;

interface Doc {
  uri: string;
  path: string;
  dir: string;
  kind: "go.mod" | "go.work";
  lines: DirectiveLine[];
  /** Syntax errors of the buffer, as the go command words them. */
  parseErrors: string[];
  timer?: ReturnType<typeof setTimeout>;
}

interface DirState {
  dir: string;
  docs: Set<string>;
  ready: Promise<Watch | undefined>;
  watch?: Watch;
  /** What the go command reports loading the module or workspace (loadDiagnostics). */
  load: string[];
  /** The go command's error when the toolchain to download is not on the GOPROXY. */
  unavailable?: string;
}

// How long the buffer must rest before its syntax is checked again.
const debounceMs = 150;
// How long a GOPROXY's toolchain list is reused for code actions.
const listTtlMs = 10 * 60 * 1000;

/** serve runs the language server on this process's stdin and stdout until exit. */
export function serve(): Promise<void> {
  const conn = createConnection(
    ProposedFeatures.all,
    new StreamMessageReader(process.stdin),
    new StreamMessageWriter(process.stdout),
  );
  return new Promise((resolve) => {
    new Server(conn, resolve).listen();
  });
}

class Server {
  #conn: Connection;
  #docs = new TextDocuments(TextDocument);
  #state = new Map<string, Doc>();
  #dirs = new Map<string, DirState>();
  #env: Record<string, string> = {};
  #backend: Promise<Backend> | undefined;
  #inlayHints = false;
  #hintRefresh = false;
  #lensRefresh = false;
  #versions:
    | { key: string; at: number; list: Promise<{ ok: boolean; list: string[] }> }
    | undefined;
  #exit: () => void;

  constructor(conn: Connection, exit: () => void) {
    this.#conn = conn;
    this.#exit = exit;
  }

  listen(): void {
    const c = this.#conn;
    c.onInitialize((p) => this.#initialize(p));
    c.onInitialized(() => {
      // Connect now, so the first answer is not delayed by the daemon's start.
      void this.#backendNow();
    });
    this.#docs.onDidOpen((e) => this.#open(e.document));
    this.#docs.onDidChangeContent((e) => this.#changed(e.document));
    this.#docs.onDidClose((e) => this.#close(e.document.uri));
    this.#docs.onDidSave(() => void this.#saved());
    c.onHover((p) => this.#hover(p.textDocument.uri, p.position.line));
    c.languages.inlayHint.on((p) => this.#hints(p.textDocument.uri));
    c.onCodeLens((p) => this.#lenses(p.textDocument.uri));
    c.onCodeAction((p) => this.#actions(p.textDocument.uri, p.range.start.line, p.range.end.line));
    c.onExecuteCommand((p, _token, workDone) =>
      this.#execute(p.command, p.arguments ?? [], workDone)
    );
    c.onShutdown(async () => {
      for (const d of this.#dirs.values()) await d.watch?.close().catch(() => {});
      this.#dirs.clear();
      (await this.#backend)?.close();
    });
    c.onExit(() => this.#exit());
    this.#docs.listen(c);
    c.listen();
  }

  #initialize(p: InitializeParams): InitializeResult {
    const opts = (p.initializationOptions ?? {}) as { env?: Record<string, unknown> };
    this.#env = { ...process.env } as Record<string, string>;
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (typeof v === "string") this.#env[k] = v;
    }
    const caps = p.capabilities;
    this.#inlayHints = caps.textDocument?.inlayHint !== undefined;
    this.#hintRefresh = caps.workspace?.inlayHint?.refreshSupport === true;
    this.#lensRefresh = caps.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: true },
        hoverProvider: true,
        // Clients without inlay hints (Neovim 0.7) get the same label as a code lens.
        ...(this.#inlayHints ? { inlayHintProvider: true } : { codeLensProvider: {} }),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: Object.values(commands) },
      },
      serverInfo: { name: "gtc", version: "0.1.0" },
    };
  }

  #backendNow(): Promise<Backend> {
    this.#backend ??= openBackend(this.#env, (m) => this.#conn.console.info(m));
    return this.#backend;
  }

  #open(td: TextDocument): void {
    let path: string;
    try {
      path = fileURLToPath(td.uri);
    } catch {
      return; // Not a file: nothing on disk to answer for.
    }
    const base = basename(path);
    const kind = base === "go.work" ? "go.work" : base === "go.mod" ? "go.mod" : undefined;
    if (kind === undefined) return;
    const doc: Doc = {
      uri: td.uri,
      path,
      dir: dirname(path),
      kind,
      lines: [],
      parseErrors: [],
    };
    this.#state.set(td.uri, doc);
    this.#scan(doc, td);
    let d = this.#dirs.get(doc.dir);
    if (d === undefined) {
      const st: DirState = {
        dir: doc.dir,
        docs: new Set(),
        ready: Promise.resolve(undefined),
        load: [],
      };
      st.ready = this.#backendNow().then((b) =>
        b.watch(st.dir, () => void this.#dirChanged(st)).then(async (w) => {
          st.watch = w;
          // Closed meanwhile: nobody wants this answer any more.
          if (this.#dirs.get(st.dir) !== st) void w.close();
          await this.#loadChecks(st);
          return w;
        }, (e) => {
          this.#conn.console.error(`gtc lsp: ${st.dir}: ${e instanceof Error ? e.message : e}`);
          return undefined;
        })
      );
      this.#dirs.set(doc.dir, st);
      d = st;
    }
    d.docs.add(td.uri);
    void d.ready.then(() => this.#publish(doc));
  }

  // #scan reads the buffer: where its directives are, whether it parses.
  #scan(doc: Doc, td: TextDocument): void {
    const text = td.getText();
    doc.lines = directiveLines(doc.kind, text);
    doc.parseErrors = parseErrors(doc.kind, doc.kind, text);
  }

  #changed(td: TextDocument): void {
    const doc = this.#state.get(td.uri);
    if (doc === undefined) return;
    clearTimeout(doc.timer);
    doc.timer = setTimeout(() => {
      doc.timer = undefined;
      const cur = this.#docs.get(doc.uri);
      if (cur === undefined || this.#state.get(doc.uri) !== doc) return;
      this.#scan(doc, cur);
      void this.#publish(doc);
    }, debounceMs);
  }

  #close(uri: string): void {
    const doc = this.#state.get(uri);
    if (doc === undefined) return;
    clearTimeout(doc.timer);
    this.#state.delete(uri);
    void this.#conn.sendDiagnostics({ uri, diagnostics: [] });
    const d = this.#dirs.get(doc.dir);
    if (d === undefined) return;
    d.docs.delete(uri);
    if (d.docs.size > 0) return;
    this.#dirs.delete(doc.dir);
    void d.ready.then((w) => w?.close());
  }

  // #loadChecks runs the checks the go command makes after selection,
  // against the files on disk: when the answer changes and on save, never
  // per keystroke.
  async #loadChecks(d: DirState): Promise<void> {
    const x = d.watch?.explanation;
    if (x === undefined) return;
    d.load = loadDiagnostics(denoHost, x, this.#env);
    d.unavailable = undefined;
    if (x.source === "download" && x.toolchain !== null) {
      const listing = await this.#toolchainVersions(x);
      const v = toolchainModuleVersion(x.toolchain, denoHost.goos, denoHost.goarch);
      if (listing.ok && !listing.list.includes(v)) {
        d.unavailable = `go: ${notAvailable(x.toolchain, denoHost.goos, denoHost.goarch)}`;
      }
    }
  }

  async #dirChanged(d: DirState): Promise<void> {
    if (this.#dirs.get(d.dir) !== d) return;
    await this.#loadChecks(d);
    if (this.#dirs.get(d.dir) !== d) return;
    for (const uri of d.docs) {
      const doc = this.#state.get(uri);
      if (doc !== undefined) void this.#publish(doc);
    }
    if (this.#inlayHints && this.#hintRefresh) {
      void this.#conn.languages.inlayHint.refresh().catch(() => {});
    } else if (!this.#inlayHints && this.#lensRefresh) {
      void this.#conn.sendRequest("workspace/codeLens/refresh").catch(() => {});
    }
  }

  // #saved: the editor wrote files; checks that read other files than the
  // answer's (a workspace module's go line) run again.
  async #saved(): Promise<void> {
    (await this.#backendNow()).saved();
    for (const d of this.#dirs.values()) {
      const before = JSON.stringify([d.load, d.unavailable]);
      await this.#loadChecks(d);
      if (JSON.stringify([d.load, d.unavailable]) === before) continue;
      for (const uri of d.docs) {
        const doc = this.#state.get(uri);
        if (doc !== undefined) void this.#publish(doc);
      }
    }
  }

  async #answer(doc: Doc): Promise<Explanation | undefined> {
    const d = this.#dirs.get(doc.dir);
    return (await d?.ready)?.explanation;
  }

  async #publish(doc: Doc): Promise<void> {
    const x = await this.#answer(doc);
    if (this.#state.get(doc.uri) !== doc) return;
    const texts = [...doc.parseErrors];
    const d = this.#dirs.get(doc.dir);
    if (x !== undefined && d !== undefined) {
      // Parse errors of this file come from the buffer (above); the answer's
      // are about the file on disk, or another file (the go.work).
      if (x.file?.path !== doc.path) texts.push(...x.diagnostics);
      if (x.error !== null) texts.push(x.error);
      // Load errors of a file that does not parse are not what go prints.
      if (doc.parseErrors.length === 0) texts.push(...d.load);
      if (d.unavailable !== undefined) texts.push(d.unavailable);
    }
    const lines = this.#lines(doc, x);
    // The answer's diagnostics include the load errors resolve found on
    // disk (lib/resolve addLoadProblems), which d.load repeats: one each.
    const diagnostics: Diagnostic[] = problems([...new Set(texts)], doc.kind, lines).map((p) => ({
      range: { start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } },
      severity: p.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: "gtc",
      message: p.message,
    }));
    await this.#conn.sendDiagnostics({ uri: doc.uri, diagnostics });
  }

  // #lines is where the go and toolchain lines are: from the buffer, or,
  // when the buffer does not lex, from the answer's file (if it is this one).
  #lines(doc: Doc, x: Explanation | undefined): DirectiveLine[] {
    if (doc.lines.length > 0 || x?.file?.path !== doc.path) return doc.lines;
    const out: DirectiveLine[] = [];
    if (x.file.go) out.push({ kind: "go", line: x.file.go.line - 1, endCol: 0 });
    if (x.file.toolchain) {
      out.push({ kind: "toolchain", line: x.file.toolchain.line - 1, endCol: 0 });
    }
    return out;
  }

  async #hover(uri: string, line: number): Promise<Hover | null> {
    const doc = this.#state.get(uri);
    if (doc === undefined) return null;
    const dl = doc.lines.find((l) => l.line === line);
    if (dl === undefined) return null;
    const x = await this.#answer(doc);
    if (x === undefined) return null;
    const b = await this.#backendNow();
    const why = await b.why(doc.dir);
    const note = dl.kind === "use" && dl.arg !== undefined
      ? `${await useNote(doc, dl.arg)}\n\n`
      : "";
    return {
      contents: { kind: MarkupKind.Markdown, value: note + hoverMarkdown(x, why, dl) },
      range: { start: { line, character: 0 }, end: { line, character: dl.endCol } },
    };
  }

  #hintLine(doc: Doc): DirectiveLine {
    return doc.lines.find((l) => l.kind === "go") ??
      {
        kind: "go",
        line: 0,
        endCol: (this.#docs.get(doc.uri)?.getText().split("\n")[0] ?? "").length,
      };
  }

  async #hints(uri: string): Promise<InlayHint[]> {
    const doc = this.#state.get(uri);
    if (doc === undefined) return [];
    const x = await this.#answer(doc);
    if (x === undefined) return [];
    const l = this.#hintLine(doc);
    return [{
      position: { line: l.line, character: l.endCol },
      label: hintLabel(x),
      paddingLeft: true,
      tooltip: x.error ?? undefined,
    }];
  }

  async #lenses(uri: string): Promise<CodeLens[]> {
    const doc = this.#state.get(uri);
    if (doc === undefined) return [];
    const x = await this.#answer(doc);
    if (x === undefined) return [];
    const l = this.#hintLine(doc);
    const install = x.source === "download" && x.toolchain !== null;
    return [{
      range: { start: { line: l.line, character: 0 }, end: { line: l.line, character: l.endCol } },
      command: install
        ? { title: hintLabel(x), command: commands.install, arguments: [doc.uri] }
        : { title: hintLabel(x), command: commands.why, arguments: [doc.uri] },
    }];
  }

  async #actions(uri: string, from: number, to: number): Promise<CodeAction[]> {
    const doc = this.#state.get(uri);
    if (doc === undefined) return [];
    const x = await this.#answer(doc);
    if (x === undefined) return [];
    const out: CodeAction[] = [];
    if (x.source === "download" && x.toolchain !== null) {
      out.push({
        title: `Install ${x.toolchain} (gtc install)`,
        kind: CodeActionKind.QuickFix,
        command: { title: `Install ${x.toolchain}`, command: commands.install, arguments: [uri] },
      });
    }
    // gtc get edits go.mod files; offer its edits only on their go and
    // toolchain lines, so that moving the cursor elsewhere costs nothing.
    const touches =
      doc.lines.some((l) =>
        (l.kind === "go" || l.kind === "toolchain") && l.line >= from && l.line <= to
      ) || !doc.lines.some((l) => l.kind === "go");
    if (doc.kind !== "go.mod" || !touches || doc.parseErrors.length > 0) return out;
    for (const args of getArgs(x, doc.lines, this.#docs.get(uri)?.getText() ?? "")) {
      const a = await this.#getAction(x, args);
      if (a !== undefined) out.push(a);
    }
    return out;
  }

  async #getAction(x: Explanation, args: string[]): Promise<CodeAction | undefined> {
    const { prepareGet } = await import("../../lib/ops/get.ts");
    const cmd = `go get ${args.join(" ")}`;
    let got;
    try {
      got = await prepareGet({
        args,
        env: this.#env,
        explanation: x,
        readText: (p) => this.#text(p),
        listVersions: async () => (await this.#toolchainVersions(x)).list,
      });
    } catch (e) {
      return { title: cmd, disabled: { reason: e instanceof Error ? e.message : String(e) } };
    }
    const title = `${describe(args)} (${cmd})`;
    if (got.plan.failed) return { title, disabled: { reason: got.plan.stderr.join("\n") } };
    const changes: Record<string, TextEdit[]> = {};
    const add = (path: string, before: string, after: string) => {
      const r = lineEdit(before, after);
      if (r !== null) {
        changes[this.#uriOf(path)] = [{
          range: { start: r.start, end: r.end },
          newText: r.newText,
        }];
      }
    };
    add(got.file, got.text, got.newText);
    if (got.work !== undefined) add(got.work.file, got.work.text, got.work.newText);
    if (Object.keys(changes).length === 0) return undefined;
    const edit: WorkspaceEdit = { changes };
    const said = got.plan.stderr.length > 0 ? `: ${got.plan.stderr.join("; ")}` : "";
    return { title: title + said, kind: CodeActionKind.QuickFix, edit };
  }

  // #text reads a file as the editor has it (an open buffer), else from disk.
  #text(path: string): string {
    for (const doc of this.#state.values()) {
      if (doc.path === path) {
        const td = this.#docs.get(doc.uri);
        if (td !== undefined) return td.getText();
      }
    }
    return Deno.readTextFileSync(path);
  }

  #uriOf(path: string): string {
    for (const doc of this.#state.values()) if (doc.path === path) return doc.uri;
    return pathToFileURL(path).href;
  }

  // #toolchainVersions lists the GOPROXY's toolchains for code actions,
  // reused for a while: a code action request must not wait for the network
  // each time. A proxy that cannot be reached lists nothing (then only the
  // local toolchain's version and none are offered, as go get would).
  #toolchainVersions(x: Explanation): Promise<{ ok: boolean; list: string[] }> {
    const key = ["GOPROXY", "GONOPROXY", "GOINSECURE", "GOMODCACHE", "GOPATH", "HOME"]
      .map((k) => this.#env[k] ?? "").join("\0");
    const now = Date.now();
    if (this.#versions?.key !== key || now - this.#versions.at > listTtlMs) {
      const list = (async () => {
        const { goEnvOf } = await import("../../lib/ops/mod.ts");
        const { hostGoproxyDeps } = await import("../../lib/host/install_deps.ts");
        const { listToolchainVersions } = await import("../../lib/install/mod.ts");
        try {
          const list = await listToolchainVersions(
            hostGoproxyDeps(goEnvOf(this.#env, x), denoHost.goos),
          );
          return { ok: true, list };
        } catch (e) {
          this.#conn.console.warn(
            `gtc lsp: listing toolchains: ${e instanceof Error ? e.message : e}`,
          );
          return { ok: false, list: [] };
        }
      })();
      this.#versions = { key, at: now, list };
    }
    return this.#versions.list;
  }

  async #execute(
    command: string,
    args: unknown[],
    workDone: import("vscode-languageserver/node").WorkDoneProgressReporter,
  ): Promise<unknown> {
    const uri = typeof args[0] === "string" ? args[0] : undefined;
    const doc = uri === undefined ? undefined : this.#state.get(uri);
    const dir = doc?.dir ?? (uri !== undefined ? dirOf(uri) : undefined);
    if (dir === undefined) throw new Error(`${command}: expected a file URI argument`);
    const b = await this.#backendNow();
    if (command === commands.why) {
      if (doc !== undefined) {
        const x = await this.#answer(doc);
        if (x !== undefined) return x;
      }
      const w = await b.watch(dir, () => {});
      await w.close();
      return w.explanation;
    }
    if (command === commands.install) {
      const x = doc !== undefined ? await this.#answer(doc) : undefined;
      const name = typeof args[1] === "string" ? args[1] : x?.toolchain;
      if (!name) throw new Error(`${command}: no toolchain selected in ${dir}`);
      // The client's token if it sent one, else one we ask it to create.
      const progress = isNoop(workDone)
        ? await this.#conn.window.createWorkDoneProgress()
        : workDone;
      progress.begin(`Installing ${name}`, 0, "starting", false);
      try {
        const r = await b.install(name, (bytes, total) => {
          const mb = (bytes / 1e6).toFixed(1);
          if (total) {
            progress.report(
              Math.floor(bytes * 100 / total),
              `${mb} of ${(total / 1e6).toFixed(1)} MB`,
            );
          } else progress.report(`${mb} MB`);
        });
        return r;
      } finally {
        progress.done();
      }
    }
    throw new Error(`unknown command ${command}`);
  }
}

// isNoop: vscode-languageserver passes a reporter that sends nothing when the
// request carried no workDoneToken.
function isNoop(r: object): boolean {
  return r.constructor?.name === "NullProgressReporter";
}

function dirOf(uri: string): string | undefined {
  try {
    return dirname(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

/** getArgs lists the `go get` arguments worth offering for this go.mod and answer. */
export function getArgs(x: Explanation, lines: readonly DirectiveLine[], text: string): string[][] {
  const out: string[][] = [];
  const has = (k: string) => lines.some((l) => l.kind === k);
  const tcLine = lines.find((l) => l.kind === "toolchain");
  const tc = tcLine ? text.split("\n")[tcLine.line].trim().split(/\s+/)[1] : undefined;
  const local = x.local?.toolchain;
  if (local !== undefined && tc !== local && x.local?.version) {
    out.push([`toolchain@${local}`]);
  }
  if (x.toolchain !== null && x.toolchain !== local && x.toolchain !== tc) {
    out.push([`toolchain@${x.toolchain}`]);
  }
  if (has("toolchain")) out.push(["toolchain@none"]);
  const goLine = lines.find((l) => l.kind === "go");
  const goVers = goLine ? text.split("\n")[goLine.line].trim().split(/\s+/)[1] : undefined;
  if (x.local?.version && goVers !== x.local.version) out.push([`go@${x.local.version}`]);
  return out;
}

function describe(args: string[]): string {
  const a = args[0];
  if (a === "toolchain@none") return "Drop the toolchain line";
  if (a.startsWith("toolchain@")) return `Set the toolchain line to ${a.slice(10)}`;
  return `Set the go line to ${a.slice(3)}`;
}

async function useNote(doc: Doc, arg: string): Promise<string> {
  const { parseLax } = await import("../../lib/modfile/mod.ts");
  const root = arg.startsWith("/") ? arg : `${doc.dir}/${arg}`;
  try {
    const m = parseLax(`${arg}/go.mod`, Deno.readTextFileSync(`${root}/go.mod`));
    return `\`use ${arg}\`: module ${m.module?.path ?? "?"}, go ${m.go?.version ?? "(none: 1.16)"}`;
  } catch (e) {
    return `\`use ${arg}\`: ${e instanceof Error ? e.message : e}`;
  }
}
