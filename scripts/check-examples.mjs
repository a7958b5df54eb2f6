// Every export of the package's entry points has a doc comment with an @example (the project's
// standard; typedoc checks that members are documented, not that exports have examples).
// Run by CI: npm run docs:examples. Exits 1 listing the exports without one.
import ts from 'typescript';
const entries = ['src/index.ts', 'src/entries/solvers.ts', 'src/entries/charts.ts', 'src/testing/index.ts'];
const program = ts.createProgram(entries, {
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  target: ts.ScriptTarget.ES2022,
  allowJs: false,
});
const checker = program.getTypeChecker();
const missing = new Set();
for (const e of entries) {
  const sf = program.getSourceFile(e);
  const mod = checker.getSymbolAtLocation(sf);
  for (let sym of checker.getExportsOfModule(mod)) {
    if (sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
    const decl = sym.declarations?.[0];
    if (!decl) continue;
    const tags = ts.getJSDocTags(decl).map((t) => t.tagName.text);
    const text = decl.getSourceFile().text.slice(decl.getFullStart(), decl.getStart());
    if (!tags.includes('example') && !text.includes('@example'))
      missing.add(`${sym.name} (${decl.getSourceFile().fileName.replace(process.cwd() + '/', '')})`);
  }
}
if (missing.size) {
  console.error(`${missing.size} export(s) without an @example:`);
  for (const m of missing) console.error(`  ${m}`);
  process.exit(1);
}
console.log('every export has an @example');
