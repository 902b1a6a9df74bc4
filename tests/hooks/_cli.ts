// A gtc program with the hook and daemon commands, until cli/main.ts registers `gtc hook`.
import { Command, CommanderError } from "commander";
import { registerDaemonCommands } from "../../cli/daemon_cmd.ts";
import { registerHookCommands } from "../../cli/hook_cmd.ts";

const program = new Command("gtc").exitOverride();
registerDaemonCommands(program);
registerHookCommands(program);
try {
  await program.parseAsync(Deno.args, { from: "user" });
} catch (e) {
  if (!(e instanceof CommanderError)) {
    console.error(`gtc: ${e instanceof Error ? e.message : e}`);
    Deno.exit(1);
  }
  Deno.exit(e.exitCode === 0 ? 0 : 2);
}
Deno.exit(Number(Deno.exitCode ?? 0));
