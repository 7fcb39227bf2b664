/**
 * The import graph of the app's own source, read with the TypeScript parser
 * (so `import type`, `export … from`, dynamic `import()`, `import("…").T`
 * and `declare module` augmentations all count), for the layer and
 * browser-safety tests. Tools (tests, bench, scripts, packaging) and build
 * output are not part of the app and are left out.
 */
import { Glob } from "bun";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

export const ROOT = resolve(import.meta.dir, "../..");
const TOOLS = new Set(["tests", "bench", "scripts", "packaging", "node_modules", "dist"]);

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** The specifier as written. */
  spec: string;
  /** Repository-relative path of the imported file; undefined for packages and builtins. */
  to?: string;
  /** True when nothing of it exists at run time (`import type`, all-type named imports, type queries, augmentations). */
  typeOnly: boolean;
  line: number;
}

/** The top folder a repository-relative path belongs to ("" for files at the root, such as package.json). */
export function folderOf(path: string): string {
  return path.includes("/") ? path.slice(0, path.indexOf("/")) : "";
}

function resolveFile(fromFile: string, spec: string): string | undefined {
  const base = resolve(dirname(join(ROOT, fromFile)), spec);
  for (const c of [base, `${base}.ts`, join(base, "index.ts")]) if (existsSync(c) && statSync(c).isFile()) return relative(ROOT, c);
  return undefined;
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a side-effect import runs the module
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return !!bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Every import of one source file. */
export function importsOf(file: string, text = readFileSync(join(ROOT, file), "utf8")): ImportEdge[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, spec: string, typeOnly: boolean) => {
    const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
    edges.push({ from: file, spec, to: spec.startsWith(".") ? resolveFile(file, spec) : undefined, typeOnly, line });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node, node.moduleSpecifier.text, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node, node.moduleSpecifier.text, node.isTypeOnly);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) add(node, node.name.text, true);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) add(node, node.argument.literal.text, true);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) add(node, node.arguments[0].text, false);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** The app's source files (repository-relative), generated files left out. */
export function appFiles(): string[] {
  const files: string[] = [];
  for (const f of new Glob("**/*.ts").scanSync({ cwd: ROOT })) {
    if (TOOLS.has(folderOf(f)) || f.startsWith("ui/dist/") || f.includes("/node_modules/") || f.endsWith(".d.ts")) continue;
    files.push(f);
  }
  return files.sort();
}

export function appImports(): ImportEdge[] {
  return appFiles().flatMap((f) => importsOf(f));
}
