// The names a source file defines (functions, classes, methods, types), read line by line with one
// anchored pattern per language: enough to tell which file of a repository an issue's identifiers
// belong to, without a parser. Each pattern starts at the line's start and has no nested
// repetition, so a hostile line costs one linear try; lines past MAX_LINE (minified code) are skipped.
import { eachReadableLine } from './lines';

const NAME = '([A-Za-z_$][A-Za-z0-9_$]{0,120})';

const PYTHON = [new RegExp(String.raw`^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+${NAME}`)];
const JS = [
  new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?function\*?[ \t]*${NAME}`),
  new RegExp(String.raw`^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:abstract[ \t]+)?(?:class|interface|enum|type)[ \t]+${NAME}`),
  new RegExp(
    String.raw`^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+${NAME}[ \t]*(?::[^=]{0,200})?=[ \t]*(?:async[ \t]+)?(?:function|\(|[A-Za-z_$][\w$]{0,60}[ \t]*=>)`,
  ),
  new RegExp(
    String.raw`^[ \t]+(?:(?:public|private|protected|static|async|readonly|override|get|set)[ \t]+){0,4}${NAME}[ \t]*\([^()]{0,300}\)[ \t]*(?::[^{;]{0,200})?\{[ \t]*$`,
  ),
];
const JVM = [
  new RegExp(
    String.raw`^[ \t]*(?:(?:public|private|protected|internal|static|final|abstract|sealed|partial|data|open|override)[ \t]+){0,5}(?:class|interface|enum|record|struct|object|fun)[ \t]+${NAME}`,
  ),
  new RegExp(
    String.raw`^[ \t]*(?:(?:public|private|protected|internal|static|final|abstract|virtual|override|async|synchronized)[ \t]+){1,5}[\w<>\[\], ?.]{1,120}[ \t]+${NAME}[ \t]*\(`,
  ),
];
const GO = [new RegExp(String.raw`^func[ \t]+(?:\([^()]{0,200}\)[ \t]*)?${NAME}`), new RegExp(String.raw`^type[ \t]+${NAME}`)];
const RUST = [
  new RegExp(
    String.raw`^[ \t]*(?:pub(?:\([\w ]{0,40}\))?[ \t]+)?(?:async[ \t]+)?(?:unsafe[ \t]+)?(?:fn|struct|enum|trait|type|mod)[ \t]+${NAME}`,
  ),
];
const RUBY = [new RegExp(String.raw`^[ \t]*(?:def[ \t]+(?:self\.)?|class[ \t]+|module[ \t]+)${NAME}`)];
const PHP = [
  new RegExp(
    String.raw`^[ \t]*(?:(?:public|private|protected|static|final|abstract)[ \t]+){0,4}(?:function|class|interface|trait|enum)[ \t]+&?${NAME}`,
  ),
];
const C = [
  new RegExp(String.raw`^(?:static[ \t]+|inline[ \t]+|extern[ \t]+)*[A-Za-z_][\w \t*&:<>,]{0,120}?[ \t*&]${NAME}[ \t]*\([^;]{0,300}$`),
  new RegExp(String.raw`^[ \t]*(?:typedef[ \t]+)?(?:struct|class|enum|union)[ \t]+${NAME}`),
];

const BY_EXTENSION: Record<string, RegExp[]> = {
  py: PYTHON,
  pyi: PYTHON,
  pyx: PYTHON,
  js: JS,
  jsx: JS,
  mjs: JS,
  cjs: JS,
  ts: JS,
  tsx: JS,
  mts: JS,
  cts: JS,
  java: JVM,
  kt: JVM,
  scala: JVM,
  cs: JVM,
  swift: JVM,
  go: GO,
  rs: RUST,
  rb: RUBY,
  php: PHP,
  c: C,
  h: C,
  cc: C,
  cpp: C,
  hpp: C,
};

/** Whether names are read from a file of this path (a source file of a language above). */
export function isSourcePath(path: string): boolean {
  return extensionOf(path) in BY_EXTENSION;
}

/** The names `text` (the contents of `path`) defines, each once, in order of first definition. */
export function definedNames(path: string, text: string): string[] {
  const patterns = BY_EXTENSION[extensionOf(path)];
  if (!patterns) return [];
  const out = new Set<string>();
  eachReadableLine(text, (line) => {
    for (const re of patterns) {
      const m = re.exec(line);
      if (m && !KEYWORDS.has(m[1])) {
        out.add(m[1]);
        break;
      }
    }
  });
  return [...out];
}

function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Words the looser patterns (methods, C functions) can catch that are not definitions. */
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'else', 'do', 'new', 'typeof', 'sizeof', 'with']);
