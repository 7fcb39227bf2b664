/** What the supervisor tells its listener (the manager): the process's life, its progress and its output. */
import type { EngineErrorInfo, EngineProgress, InstalledBuild } from "../types";
import type { ExitInfo } from "./errors";

export interface RunningEngine {
  build: InstalledBuild;
  port: number;
  pid: number;
  /** Increases with every spawn; jobs of an older epoch are gone. */
  epoch: number;
}

export type SupervisorEvent =
  | { type: "starting"; build: InstalledBuild; port: number; epoch: number; attempt: number }
  | { type: "ready"; engine: RunningEngine }
  | { type: "exited"; build: InstalledBuild; epoch: number; exit: ExitInfo; error?: EngineErrorInfo; expected: boolean }
  | { type: "restarting"; build: InstalledBuild; delayMs: number; error: EngineErrorInfo }
  | { type: "fallback"; from: InstalledBuild; to: InstalledBuild; error: EngineErrorInfo }
  | { type: "failed"; error: EngineErrorInfo }
  | { type: "stopped" }
  | { type: "progress"; progress: EngineProgress; epoch: number }
  | { type: "log"; line: string; stream: "stdout" | "stderr" };
