/**
 * `gtc lsp`: the language server for go.mod and go.work (cli/lsp/), loaded
 * only when it runs.
 *
 * @module
 */

import type { Command } from "commander";

/** registerLspCommand adds `gtc lsp` to the program. */
export function registerLspCommand(gtc: Command): void {
  gtc.command("lsp")
    .description(
      "Language server for go.mod and go.work over stdio: which toolchain runs, and why (docs/editors.md)",
    )
    // Editors' defaults pass --stdio; it is the only transport.
    .option("--stdio", "talk LSP on stdin/stdout (the default and only transport)")
    .action(async () => {
      const { serve } = await import("./lsp/server.ts");
      await serve();
    });
}
