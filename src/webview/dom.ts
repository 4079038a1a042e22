// Building DOM without HTML strings: text always goes in as text nodes, attributes are set one by
// one, and event-handler or style attributes are refused. Memory content and model output reach
// the page only through here or through the sanitised Markdown renderer (markdown.ts).

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

const FORBIDDEN_ATTR = /^(on|style$|srcdoc$|formaction$)/i;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (FORBIDDEN_ATTR.test(name)) throw new Error(`h(): attribute "${name}" is not allowed`);
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** A button; `label` is its accessible name when the visible text is a glyph or is ambiguous. */
export function button(text: string, onClick: (ev: MouseEvent) => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Disables a control and says why in its tooltip (an enabled control loses the tooltip). */
export function setDisabled(el: HTMLButtonElement, reason: string | null): void {
  el.disabled = reason !== null;
  if (reason) el.title = reason;
  else el.removeAttribute('title');
}

/** Only http(s) links are ever made clickable. */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Replaces a container's content, keeping keyboard focus on the element with the same `data-key`
 * (re-rendering must not throw the user's focus back to the top of the panel).
 */
export function replaceContent(container: HTMLElement, ...children: Child[]): void {
  const active = document.activeElement;
  const key = active instanceof HTMLElement && container.contains(active) ? active.dataset.key : undefined;
  container.replaceChildren();
  append(container, children);
  if (key === undefined) return;
  for (const el of container.querySelectorAll<HTMLElement>('[data-key]')) {
    if (el.dataset.key === key) {
      el.focus();
      return;
    }
  }
}
