// The updateEnvFile table, shared by env_write_test.ts and the
// differential test tests/use/use_test.ts.

/**
 * updateEnvFile cases: file before (undefined: none), keys set, keys
 * deleted, file after. tests/cli/use_test.ts runs the same table through the
 * real `go env -w` / `go env -u` and compares the bytes.
 */
export const updateEnvFileTests: {
  name: string;
  before: string | undefined;
  add: Record<string, string>;
  del: string[];
  after: string;
}[] = [
  {
    name: "no file",
    before: undefined,
    add: { GOTOOLCHAIN: "go1.25.3+auto" },
    del: [],
    after: "GOTOOLCHAIN=go1.25.3+auto\n",
  },
  {
    name: "empty file",
    before: "",
    add: { GOTOOLCHAIN: "local" },
    del: [],
    after: "GOTOOLCHAIN=local\n",
  },
  {
    name: "replaced in place",
    before: "GOPROXY=direct\nGOTOOLCHAIN=auto\nGOFLAGS=-v\n",
    add: { GOTOOLCHAIN: "go1.25.3+path" },
    del: [],
    // The run is sorted: GOFLAGS < GOPROXY < GOTOOLCHAIN.
    after: "GOFLAGS=-v\nGOPROXY=direct\nGOTOOLCHAIN=go1.25.3+path\n",
  },
  {
    name: "appended after a comment forms its own run",
    before: "GOPROXY=direct\n# keep me\n",
    add: { GOTOOLCHAIN: "go1.25.3" },
    del: [],
    after: "GOPROXY=direct\n# keep me\nGOTOOLCHAIN=go1.25.3\n",
  },
  {
    name: "appended joins the last run and is sorted into it",
    before: "# mine\nGOPROXY=direct\nGOAMD64=v3",
    add: { GOTOOLCHAIN: "go1.25.3+auto" },
    del: [],
    after: "# mine\nGOAMD64=v3\nGOPROXY=direct\nGOTOOLCHAIN=go1.25.3+auto\n",
  },
  {
    name: "duplicates: only the last survives, blank lines kept",
    before: "GOTOOLCHAIN=local\n\nGOTOOLCHAIN=path\nGOPROXY=off\n",
    add: { GOTOOLCHAIN: "go1.24.0+auto" },
    del: [],
    after: "\nGOPROXY=off\nGOTOOLCHAIN=go1.24.0+auto\n",
  },
  {
    name: "comments, odd lines and CRLF kept verbatim",
    before: "#GOTOOLCHAIN=x\r\nlower=1\r\n  indented\nGOTOOLCHAIN=auto\r\n",
    add: { GOTOOLCHAIN: "local" },
    del: [],
    // "  indented" has no '=': it ends the run, so nothing moves.
    after: "#GOTOOLCHAIN=x\r\nlower=1\r\n  indented\nGOTOOLCHAIN=local\n",
  },
  {
    name: "unset removes every copy's effect",
    before: "GOTOOLCHAIN=local\nGOPROXY=direct\nGOTOOLCHAIN=auto\n",
    add: {},
    del: ["GOTOOLCHAIN"],
    after: "GOPROXY=direct\n",
  },
  {
    name: "unset an absent key still sorts and completes the last line",
    before: "GOPROXY=direct\nGOFLAGS=-v",
    add: {},
    del: ["GOTOOLCHAIN"],
    after: "GOFLAGS=-v\nGOPROXY=direct\n",
  },
  {
    name: "GO386 sorts after GO by key, not by line",
    before: "GO386=sse2\nGO=x\n",
    add: { GOTOOLCHAIN: "path" },
    del: [],
    after: "GO=x\nGO386=sse2\nGOTOOLCHAIN=path\n",
  },
  {
    name: "non-ASCII and invalid UTF-8 bytes kept",
    before: "GOFLAGS=-ldflags=-X=main.name=\xe9t\xe9\n# caf\u00e9\n",
    add: { GOTOOLCHAIN: "go1.25.3+auto" },
    del: [],
    after: "GOFLAGS=-ldflags=-X=main.name=\xe9t\xe9\n# caf\u00e9\nGOTOOLCHAIN=go1.25.3+auto\n",
  },
];

// The table's strings are latin1 byte strings (one char per byte), so a
// file may hold invalid UTF-8.
export function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
