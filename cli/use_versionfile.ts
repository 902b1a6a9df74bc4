export function fromVersionFile(_f: boolean | string, _dir?: string): string {
  throw new Error("todo");
}
