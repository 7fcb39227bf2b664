/** Bytes of `xz <args>` of a file, streamed (nothing written to disk): the download estimate of an executable. */
export async function xzBytes(file: string, args: string[]): Promise<number> {
  const proc = Bun.spawn(["xz", ...args, "-c", file], { stdout: "pipe", stderr: "inherit" });
  let total = 0;
  for await (const chunk of proc.stdout) total += chunk.length;
  if ((await proc.exited) !== 0) throw new Error(`xz failed on ${file}`);
  return total;
}
