/**
 * The Windows subsystem of an executable, read and set in its PE header.
 * Windows ships two programs from one compiled executable: `Easy Diffusion.exe`
 * (GUI subsystem: a double-click shows no console) for the Start menu, and
 * `easy-diffusion.exe` (console subsystem) for `--server` and `engine import`
 * in a terminal, as desktop tools with a CLI do. Bun's `--windows-hide-console`
 * does the same but only when compiling on Windows; this works from any OS.
 */
import { NamedError } from "../../core/server/errors";

export type Subsystem = "gui" | "console";

const CODES: Record<Subsystem, number> = { gui: 2, console: 3 };

export class NotAPeFileError extends NamedError {
  override name = "NotAPeFileError";
  override readonly code = "not_a_pe_file";
  override readonly status = 400;
}

/** Byte offset of the 2-byte Subsystem field (the same in PE32 and PE32+ optional headers). */
export function subsystemOffset(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 64 || bytes[0] !== 0x4d || bytes[1] !== 0x5a) throw new NotAPeFileError("not a Windows executable (no MZ header)");
  const pe = view.getUint32(0x3c, true);
  if (pe + 24 + 70 > bytes.length || view.getUint32(pe, false) !== 0x50450000) throw new NotAPeFileError("not a Windows executable (no PE header)");
  const magic = view.getUint16(pe + 24, true);
  if (magic !== 0x10b && magic !== 0x20b) throw new NotAPeFileError(`unknown optional header (magic 0x${magic.toString(16)})`);
  return pe + 24 + 68;
}

export function readSubsystem(bytes: Uint8Array): Subsystem | number {
  const code = new DataView(bytes.buffer, bytes.byteOffset).getUint16(subsystemOffset(bytes), true);
  return code === CODES.gui ? "gui" : code === CODES.console ? "console" : code;
}

/** A copy of `bytes` with the subsystem set. */
export function withSubsystem(bytes: Uint8Array, subsystem: Subsystem): Uint8Array {
  const out = new Uint8Array(bytes);
  new DataView(out.buffer).setUint16(subsystemOffset(out), CODES[subsystem], true);
  return out;
}
