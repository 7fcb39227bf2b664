/**
 * When the app builds the engine by itself, and which backend a build gets
 * when none is named. Pure: functions of the engine plan and the installed
 * builds. The app builds automatically only when the plan chose building
 * (no release build runs here) and no built engine is installed yet; where
 * a release build runs and a build would only be faster (Linux + NVIDIA with
 * nvcc → CUDA) building is offered, never started by itself.
 */
import type { BuildTools } from "../detect/build-candidate";
import { bestBuildBackend } from "../detect/build-candidate";
import type { EnginePlan } from "../install/provider";
import type { InstalledBuild } from "../types";
import type { BuildBackend } from "./cmake-flags";

export type AutoBuildDecision =
  | { action: "build"; backend: BuildBackend; reason: string }
  | { action: "offer"; backend: BuildBackend; reason: string }
  | { action: "none"; reason: string };

export function decideAutoBuild(plan: Pick<EnginePlan, "choice"> | undefined, installed: Pick<InstalledBuild, "variant">[]): AutoBuildDecision {
  const build = plan?.choice.build;
  if (!build) return { action: "none", reason: "no source build is planned for this machine" };
  if (!build.chosen) return { action: "offer", backend: build.backend, reason: build.reason };
  if (installed.some((b) => b.variant.startsWith("built-"))) return { action: "none", reason: "a built engine is installed already" };
  return { action: "build", backend: build.backend, reason: build.reason };
}

/** The backend to build when none is named: the plan's build candidate, else the best for the hardware, else cpu. */
export function plannedBuildBackend(plan: Pick<EnginePlan, "choice" | "hardware"> | undefined, tools: BuildTools): BuildBackend {
  if (plan?.choice.build) return plan.choice.build.backend;
  if (plan) return bestBuildBackend(plan.hardware, tools).backend;
  return "cpu";
}
