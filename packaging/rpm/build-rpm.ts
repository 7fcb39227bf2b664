/**
 * Builds the .rpm with rpmbuild when it is on PATH (Debian: `apt install rpm`),
 * from the same /usr tree as the .deb. The spec turns off everything that
 * would rewrite the executable (stripping, build-id links, dependency
 * scanning): a compiled Bun program carries the app appended to its end.
 * No %pre/%post scriptlets, so removing the package removes only its files.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { rpmVersion, type AppInfo } from "../app";
import { loadFormatConfig, packageFileName } from "../easyinstaller/invocation";
import { writeLinuxTree, type LinuxTreeInput } from "../linux/tree";
import { targetInfo, type Target } from "../targets";

/** The spec file; `files` are installed paths relative to /. Pure. */
export function rpmSpec(app: AppInfo, opts: { requires: string[]; files: string[]; tree: string }): string {
  return `%global debug_package %{nil}
%global __os_install_post %{nil}
%global _build_id_links none
# Fedora's own payload compression (zstd -19, all cores): about xz's size, read by rpm >= 4.14.
%global _binary_payload w19T0.zstdio
AutoReqProv: no

Name: ${app.command}
Version: ${rpmVersion(app.version)}
Release: 1
Summary: ${app.summary}
License: ${app.license}
URL: ${app.homepage}
Packager: ${app.maintainer}
Requires: ${opts.requires.join(", ")}

%description
${app.description}

%install
mkdir -p %{buildroot}
cp -a "${opts.tree}/." %{buildroot}/

%files
%dir /usr/share/doc/${app.command}
${opts.files.map((f) => `/${f}`).join("\n")}
`;
}

export async function buildRpm(input: LinuxTreeInput & { target: Target; outDir: string }): Promise<string> {
  const { app, target, outDir } = input;
  const config = loadFormatConfig("rpm");
  const arch = config.arch[targetInfo(target).arch];
  const top = join(outDir, `rpm-build-${target}`);
  rmSync(top, { recursive: true, force: true });
  const tree = join(top, "tree");
  const files = writeLinuxTree(tree, input);
  const spec = join(top, `${app.command}.spec`);
  mkdirSync(top, { recursive: true });
  writeFileSync(spec, rpmSpec(app, { requires: config.depends, files, tree }));
  const argv = ["rpmbuild", "-bb", "--target", arch, "--define", `_topdir ${top}`, "--define", `_rpmdir ${join(top, "out")}`, spec];
  const proc = Bun.spawnSync(argv, { stdout: "pipe", stderr: "pipe" });
  if (proc.exitCode !== 0) throw new Error(`rpmbuild failed (${proc.exitCode}): ${proc.stderr.toString().trim().split("\n").slice(-5).join("\n")}`);
  const built = join(top, "out", arch);
  const rpm = readdirSync(built).find((f) => f.endsWith(".rpm"));
  if (!rpm) throw new Error(`rpmbuild wrote no .rpm in ${built}`);
  const out = join(outDir, packageFileName(app, target, "rpm", config));
  rmSync(out, { force: true });
  await Bun.write(out, Bun.file(join(built, rpm)));
  rmSync(top, { recursive: true, force: true });
  return out;
}
