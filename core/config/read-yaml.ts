/**
 * config.yaml as plain YAML, without the schema: for the few keys the start needs before the config is
 * loaded (the port to listen on first, whether a window opens). The schema then reads it properly.
 */
export async function readConfigYaml(file: string): Promise<unknown> {
  try {
    const text = await Bun.file(file).text();
    return (await import("yaml")).parse(text);
  } catch {
    return undefined;
  }
}
