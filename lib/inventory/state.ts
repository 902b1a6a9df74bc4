/**
 * What gtc remembers between runs: the projects (go.mod/go.work directories)
 * it was asked about, and when each toolchain was last run through gtc. Both
 * feed `gtc list` ("which known projects select it") and `gtc gc`.
 *
 * The file is small JSON at $GTC_HOME/state.json, bounded in size, replaced
 * atomically; a damaged file is treated as empty rather than fatal.
 *
 * @module
 */

/** The remembered state. Times are RFC 3339. */
export interface State {
  /** Project directory → last time gtc resolved it. */
  projects: Record<string, string>;
  /** Toolchain name → last time gtc ran it (exec, ci). */
  used: Record<string, string>;
}

/** The storage role: read the file (undefined when missing), replace it atomically. */
export interface StateStore {
  read(): string | undefined;
  write(data: string): void;
}

/** At most this many projects are remembered; the least recently seen go first. */
export const maxProjects = 500;

/** emptyState returns a fresh State. */
export function emptyState(): State {
  return { projects: {}, used: {} };
}

/** parseState reads state JSON, returning an empty State for anything malformed. */
export function parseState(data: string | undefined): State {
  if (data === undefined) return emptyState();
  try {
    const v = JSON.parse(data);
    const s = emptyState();
    for (const k of ["projects", "used"] as const) {
      const m = v?.[k];
      if (m === null || typeof m !== "object") continue;
      for (const [key, t] of Object.entries(m)) if (typeof t === "string") s[k][key] = t;
    }
    return s;
  } catch {
    return emptyState();
  }
}

/**
 * recordProject notes that dir was resolved at now, keeping at most
 * maxProjects entries (the oldest are dropped).
 */
export function recordProject(s: State, dir: string, now: Date): State {
  const projects = { ...s.projects, [dir]: now.toISOString() };
  const keys = Object.keys(projects);
  if (keys.length > maxProjects) {
    keys.sort((a, b) => projects[a] < projects[b] ? -1 : 1);
    for (const k of keys.slice(0, keys.length - maxProjects)) delete projects[k];
  }
  return { ...s, projects };
}

/** recordUse notes that toolchain name ran at now. */
export function recordUse(s: State, name: string, now: Date): State {
  return { ...s, used: { ...s.used, [name]: now.toISOString() } };
}

/** updateState reads, changes and writes the state; failures to write are ignored (state is advisory). */
export function updateState(store: StateStore, f: (s: State) => State): void {
  try {
    store.write(JSON.stringify(f(parseState(store.read())), null, 1) + "\n");
  } catch {
    // A read-only home must not make gtc fail.
  }
}
