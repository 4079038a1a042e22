// Lint for the whole repository, including the layer zones (who may import whom) and the rule that
// storage syntax stays in the store.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const STORAGE =
  'Storage syntax stays in the store: ask src/core/store/queries.ts a typed question (add one there) instead of building a where-clause or touching a LanceDB table.';

/**
 * A layer's zone: it may not import `vscode` (when set) nor the named layers under src/, except the
 * single files listed in `except` (e.g. `shared/age`: one import-free file the core may use).
 */
function zone(dir, message, { vscode = false, layers, except = [] }) {
  return {
    files: [`${dir}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: vscode ? [{ name: 'vscode', message }] : [],
          patterns: [
            { group: layers.filter((l) => !except.some((e) => e.startsWith(`${l}/`))).flatMap((l) => [`**/${l}`, `**/${l}/**`]), message },
            ...except.map((e) => {
              const [layer, file] = e.split('/');
              return { regex: `(^|/)${layer}(/(?!${file}$).*)?$`, message };
            }),
          ],
        },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.cache/**', 'bench/.data/**', '.dejafix-demo/**', 'dist-vsix/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Layer zones: who may import whom (README "Development" lists them; test/unit/layering.test.ts proves each fires).
  zone('src/core', 'src/core is pure TypeScript under every front door: no VS Code, no layer above it.', {
    vscode: true,
    layers: ['vscode', 'cli', 'mcp', 'webview', 'shared'],
    except: ['shared/age'],
  }),
  zone('src/shared', 'src/shared is the host⇄webview protocol: types and limits only, importing no other layer.', {
    vscode: true,
    layers: ['core', 'vscode', 'cli', 'mcp', 'webview'],
  }),
  zone('src/webview', 'src/webview runs in the browser and talks to the host only through src/shared.', {
    vscode: true,
    layers: ['core', 'vscode', 'cli', 'mcp'],
  }),
  zone('src/vscode', 'src/vscode adapts the core to the editor; it does not reach into the CLI, the MCP server or the webview bundle.', {
    layers: ['cli', 'mcp', 'webview'],
  }),
  zone('src/cli', 'src/cli is a front door onto the core (and starts the MCP server); no VS Code, no panel.', {
    vscode: true,
    layers: ['vscode', 'webview', 'shared'],
  }),
  zone('src/mcp', 'src/mcp is a front door onto the core only.', { vscode: true, layers: ['vscode', 'cli', 'webview', 'shared'] }),
  // Storage syntax stays in the store: only src/core/store (and the recall engine, which composes searches) sees LanceDB or builds a where-clause.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/core/store/**', 'src/core/recall/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='@lancedb/lancedb'], ImportExpression[source.value='@lancedb/lancedb']",
          message: STORAGE,
        },
        { selector: 'ImportDeclaration[source.value=/\\/store\\/(rows|lance|where)$/]', message: STORAGE },
        {
          selector: 'CallExpression[callee.property.name=/^(where|table|countRows|fullTextSearch|nearestTo|mergeInsert)$/]',
          message: STORAGE,
        },
      ],
    },
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', performance: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Last: turn off stylistic rules that Prettier owns (npm run lint runs prettier --check) ...
  prettier,
  // ... and keep one line limit Prettier cannot: it wraps code at 140 but leaves long comments alone.
  {
    files: ['**/*.{ts,js,mjs}'],
    rules: {
      'max-len': ['error', { code: 160, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
);
