// The script the harness page runs before the panel bundle, standing in for VS Code: the
// `acquireVsCodeApi` the webview gets (callable once, like VS Code's), recording every posted
// message; state kept in sessionStorage so it survives a reload like VS Code's webview state;
// `__host.send` to push host → panel messages (resolving once the panel handled them); and recorders for CSP violations and dialogs.
export const FAKE_HOST_JS = `(() => {
  const posted = [];
  window.__posted = posted;
  window.__violations = [];
  window.__dialogs = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
  for (const name of ['alert', 'confirm', 'prompt']) {
    const original = window[name].bind(window);
    window[name] = (...args) => { window.__dialogs.push(name); return original(...args); };
  }
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage: (m) => { posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => { const s = sessionStorage.getItem('vscode-state'); return s ? JSON.parse(s) : undefined; },
      setState: (s) => { sessionStorage.setItem('vscode-state', JSON.stringify(s)); return s; },
    });
  };
  // VS Code delivers host messages as window messages, handled in a later task: send() resolves once the panel has
  // handled this one (a sentinel posted after it arrives after it), so a test never reads the page before the update.
  let sync = 0;
  window.__host = {
    send: (m) =>
      new Promise((resolve) => {
        const id = 'harness-sync-' + ++sync;
        const done = (ev) => {
          if (ev.data && ev.data.__harnessSync === id) {
            window.removeEventListener('message', done);
            resolve();
          }
        };
        window.addEventListener('message', done);
        window.postMessage(m, '*');
        window.postMessage({ __harnessSync: id }, '*');
      }),
  };
})();
`;
