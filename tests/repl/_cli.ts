/**
 * The gtc command line for tests of `gtc repl` and `gtc ci`: cli/main.ts
 * once it registers them, else a stand-in program with just those commands.
 */
import { Command, CommanderError } from "commander";
import { registerReplCommand } from "../../cli/repl_cmd.ts";
import { registerCiCommand } from "../../cli/ci_cmd.ts";

const program = new Command("gtc").exitOverride();
registerReplCommand(program);
registerCiCommand(program);
try {
  await program.parseAsync(Deno.args, { from: "user" });
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  Deno.exit(e.exitCode === 0 ? 0 : 2);
}
Deno.exit(Number(Deno.exitCode ?? 0));
