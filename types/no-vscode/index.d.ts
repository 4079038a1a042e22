// Stands in for the `vscode` module when the core is type-checked (src/core/tsconfig.json): the
// core must not use the VS Code API, so every use of this module is a type error.
declare const vscodeIsNotAvailableInSrcCore: never;
export = vscodeIsNotAvailableInSrcCore;
