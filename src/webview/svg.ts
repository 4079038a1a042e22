// SVG elements built like dom.ts builds HTML: attributes one by one, text as text nodes, no
// event-handler or style attributes (the panel's CSP allows no inline style; colours come from
// classes in panel.css).
import { append, type Attrs, type Child } from './dom';

const NS = 'http://www.w3.org/2000/svg';
const FORBIDDEN_ATTR = /^(on|style$|href$|xlink:href$)/i;

export function svg(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (FORBIDDEN_ATTR.test(name)) throw new Error(`svg(): attribute "${name}" is not allowed`);
    el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}
