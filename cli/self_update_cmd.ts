/**
 * `gtc self-update`: replace the running gtc — a compiled binary or the
 * one-file bundle — with the release's, verified against its SHA256SUMS and
 * swapped in atomically (lib/release). A source checkout is refused: git
 * updates it.
 *
 * @module
 */

import type { Command } from "commander";
import { binaryAsset, BUNDLE_ASSET, selfUpdate, SUMS_ASSET } from "../lib/release/mod.ts";
import { denoHttp } from "../lib/host/http.ts";
import { denoWriteFs } from "../lib/host/fs_write.ts";
import { denoHost } from "../lib/host/host.ts";
import { thisProgram } from "../daemon/start.ts";

function print(s: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(s));
}

function fail(msg: string, code = 1): void {
  console.error(`gtc self-update: ${msg}`);
  Deno.exitCode = code;
}

/** registerSelfUpdateCommand adds `gtc self-update` to program. */
export function registerSelfUpdateCommand(program: Command): void {
  program.command("self-update")
    .description(
      `Replace this gtc (binary or bundle) with the release's, verified against its ${SUMS_ASSET}`,
    )
    .option("--base <url>", "the release's base URL (default: $GTC_RELEASE_URL)")
    .option("--dry-run", "say what would be fetched and replaced; change nothing")
    .action(async (flags: { base?: string; dryRun?: boolean }) => {
      const base = flags.base ?? Deno.env.get("GTC_RELEASE_URL") ?? "";
      if (base === "") {
        fail(
          `no release URL: pass --base URL or set GTC_RELEASE_URL (the directory that holds ` +
            `${SUMS_ASSET} and the assets)`,
          2,
        );
        return;
      }
      const form = thisProgram();
      let asset: string | undefined, target: string;
      switch (form.kind) {
        case "source":
          fail(
            `this gtc runs from a source checkout (${form.entry}): update it with git; ` +
              `self-update replaces only an installed gtc binary or bundle`,
          );
          return;
        case "bundle":
          asset = BUNDLE_ASSET;
          target = form.file;
          break;
        case "compiled":
          asset = binaryAsset(denoHost.goos, denoHost.goarch);
          target = form.exe;
          if (asset === undefined) {
            fail(`no release binary for ${denoHost.goos}/${denoHost.goarch}`);
            return;
          }
      }
      if (flags.dryRun) {
        print(
          `gtc self-update: would fetch ${asset} from ${base}, check it against ${SUMS_ASSET} ` +
            `and replace ${target}\n`,
        );
        return;
      }
      const windows = Deno.build.os === "windows";
      const r = await selfUpdate(
        { http: denoHttp, fs: denoWriteFs, windows, tmpSuffix: `${Deno.pid}` },
        { base, asset, target },
      );
      print(
        r.upToDate
          ? `gtc self-update: ${r.target} is already ${r.url} (sha256 ${r.sha256})\n`
          : `gtc self-update: replaced ${r.target} with ${r.url} (sha256 ${r.sha256})\n`,
      );
    });
}
