// gtc for VS Code: starts `gtc lsp` for go.mod and go.work files and shows
// the toolchain the go command selects for the active file's directory in
// the status bar. All answers come from the language server (gtc.why).
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;
let status;

async function updateStatus() {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.uri.scheme !== "file") {
    status.hide();
    return;
  }
  try {
    const x = await client.sendRequest("workspace/executeCommand", {
      command: "gtc.why",
      arguments: [editor.document.uri.toString()],
    });
    if (x.error !== null) {
      status.text = "$(error) go will fail";
      status.tooltip = x.error;
    } else {
      status.text = `${x.source === "download" ? "$(cloud-download) " : ""}${x.toolchain}`;
      status.tooltip = `${x.toolchain} (${x.source}) runs in ${x.dir}; ` +
        `GOTOOLCHAIN=${x.gotoolchain.value} from ${x.gotoolchain.origin}`;
    }
    status.command = "gtc.showWhy";
    status.show();
  } catch (e) {
    status.text = "$(warning) gtc";
    status.tooltip = String(e);
    status.show();
  }
}

async function activate(context) {
  const cfg = vscode.workspace.getConfiguration("gtc");
  const command = cfg.get("path", "gtc");
  client = new LanguageClient(
    "gtc",
    "gtc",
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", pattern: "**/go.mod" },
        { scheme: "file", pattern: "**/go.work" },
      ],
      initializationOptions: { env: cfg.get("env", {}) },
    },
  );
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  context.subscriptions.push(
    status,
    vscode.commands.registerCommand("gtc.showWhy", async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      const x = await client.sendRequest("workspace/executeCommand", {
        command: "gtc.why",
        arguments: [editor.document.uri.toString()],
      });
      const doc = await vscode.workspace.openTextDocument({
        language: "json",
        content: JSON.stringify(x, null, 2),
      });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    vscode.window.onDidChangeActiveTextEditor(updateStatus),
    vscode.workspace.onDidSaveTextDocument(updateStatus),
    // The server re-publishes diagnostics whenever the daemon pushes a new answer.
    vscode.languages.onDidChangeDiagnostics(updateStatus),
  );
  await client.start();
  await updateStatus();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
