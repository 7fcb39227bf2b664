/** Reads a file's header and identifies it (headers/read.ts + identify.ts); never throws: a bad file gives a `problem`. */
import type { Identity } from "./entry";
import { readHeader } from "./headers/read";
import { HeaderError } from "./headers/tensor";
import { identify } from "./identify";

export function identifyFile(path: string): Identity {
  try {
    return identify(readHeader(path));
  } catch (err) {
    const problem = err instanceof HeaderError ? err.message : `the header cannot be read (${(err as Error).message})`;
    return { detected: null, family: null, precision: null, problem };
  }
}
