/**
 * The decision trace: every rule the selection considered, whether it fired,
 * and the inputs it saw with their origins. `gtc why`, `--json` and error
 * messages are all rendered from it.
 *
 * @module
 */

/** Stable identifiers of the rules, in the order the go command applies them. */
export type RuleId =
  | "chdir"
  | "modules"
  | "env-command"
  | "gotoolchain"
  | "no-local-go"
  | "minimum"
  | "suffix"
  | "file"
  | "toolchain-default"
  | "toolchain-line"
  | "go-line"
  | "install-version"
  | "switch-target"
  | "local"
  | "local-startup"
  | "sanity"
  | "switch-depth"
  | "path-lookup"
  | "path-only"
  | "module-cache"
  | "checksum"
  | "download"
  | "child-env"
  // Not a rule of the go command: other managers' version files, which it ignores.
  | "version-files";

/** Where an input's value came from, rendered for people ("environment", "go.mod:3"). */
export interface TraceInput {
  /** What the input is: "GOTOOLCHAIN", "go line", "PATH", … */
  name: string;
  value: string;
  /** "environment", "go env file /home/u/.config/go/env:2", "/src/m/go.mod:3", "default", … */
  origin: string;
}

/** One rule considered by the selection. */
export interface TraceStep {
  rule: RuleId;
  /** Whether the rule changed or decided the outcome. */
  fired: boolean;
  /** One sentence saying what the rule saw and did, in the go command's terms. */
  detail: string;
  inputs?: TraceInput[];
}

/** Trace collects steps in order. */
export class Trace {
  readonly steps: TraceStep[] = [];

  /** add records a step and returns it. */
  add(rule: RuleId, fired: boolean, detail: string, inputs?: TraceInput[]): TraceStep {
    const step: TraceStep = inputs ? { rule, fired, detail, inputs } : { rule, fired, detail };
    this.steps.push(step);
    return step;
  }
}
