/**
 * `ed-settings-change`: a field group of the Image workspace changed some
 * settings; the workspace merges the partial into its state.
 */
import { edEvent } from "../../events";
import type { ImageSettings } from "./image-settings";

export type SettingsChangeEvent = CustomEvent<{ changes: Partial<ImageSettings> }>;

export function settingsChange(changes: Partial<ImageSettings>): SettingsChangeEvent {
  return edEvent("ed-settings-change", { changes });
}

/** Reads a number input; NaN (an empty box) stays NaN so validation can say so. */
export function numberOf(e: Event): number {
  const v = (e.target as HTMLInputElement).value;
  return v.trim() === "" ? Number.NaN : Number(v);
}

export function valueOf(e: Event): string {
  return (e.target as HTMLInputElement).value;
}

export function checkedOf(e: Event): boolean {
  return (e.target as HTMLInputElement).checked;
}

declare global {
  interface HTMLElementEventMap {
    "ed-settings-change": SettingsChangeEvent;
  }
}
