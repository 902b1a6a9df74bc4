import type { Command } from "commander";
export function registerDoctorCommand(_gtc: Command): void {}
