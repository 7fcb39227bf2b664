import { describe, expect, test } from "bun:test";
import { parseCommand, parsePort, UsageError } from "../../launcher/cli/args";

const run = (argv: string[]) => {
  const c = parseCommand(argv);
  if (c.kind !== "run") throw new Error(`expected run, got ${c.kind}`);
  return c.options;
};

describe("parseCommand", () => {
  test("no flags: the GUI with everything from config", () => {
    expect(run([])).toEqual({ server: false, host: undefined, port: undefined, dataDir: undefined, config: undefined, noOpen: false });
  });

  test("every run flag", () => {
    expect(run(["--server", "--host", "0.0.0.0", "--port", "9100", "--data-dir", "/d", "--config", "/c.yaml", "--no-open"])).toEqual({
      server: true,
      host: "0.0.0.0",
      port: 9100,
      dataDir: "/d",
      config: "/c.yaml",
      noOpen: true,
    });
    expect(run(["--port=8000"]).port).toBe(8000);
  });

  test("help and version, long and short, win over other flags", () => {
    expect(parseCommand(["--help"])).toEqual({ kind: "help" });
    expect(parseCommand(["-h"])).toEqual({ kind: "help" });
    expect(parseCommand(["--server", "--version"])).toEqual({ kind: "version" });
    expect(parseCommand(["-v"])).toEqual({ kind: "version" });
  });

  test("engine import", () => {
    expect(parseCommand(["engine", "import", "sd.zip", "--data-dir", "/d"])).toEqual({ kind: "engine-import", source: "sd.zip", dataDir: "/d", config: undefined });
    expect(parseCommand(["engine"])).toEqual({ kind: "help", topic: "engine" });
    expect(() => parseCommand(["engine", "import"])).toThrow(/exactly one/);
    expect(() => parseCommand(["engine", "remove"])).toThrow(/unknown engine command "remove"/);
  });

  test.each([
    [["--frobnicate"], /frobnicate/],
    [["--port"], /port/],
    [["--port", "http"], /--port must be a number/],
    [["--port", "0"], /from 1 to 65535/],
    [["--port", "65536"], /from 1 to 65535/],
    [["--port", "-5"], /port/],
    [["--data-dir", " "], /--data-dir needs a value/],
    [["--host", ""], /--host needs a value/],
    [["serve"], /unexpected argument "serve"/],
    [["--server=yes"], /server/],
  ])("%p is a usage error", (argv, message) => {
    expect(() => parseCommand(argv as string[])).toThrow(UsageError);
    expect(() => parseCommand(argv as string[])).toThrow(message);
  });
});

describe("parsePort", () => {
  test("accepts 1..65535 only", () => {
    expect(parsePort("1")).toBe(1);
    expect(parsePort("65535")).toBe(65535);
    for (const bad of ["", "1.5", "1e3", "0x50", "65536"]) expect(() => parsePort(bad)).toThrow(UsageError);
  });
});
