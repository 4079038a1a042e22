// Markdown for memory content and model output: markdown-it with raw HTML off, then DOMPurify
// with a short allow-list (no SVG, no styles, no images, http(s)/mailto links only). Text too long
// or nested too deep to format safely is shown as plain text, so no input can freeze the panel.
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { MAX_MARKDOWN_CHARS, MAX_MARKDOWN_DEPTH } from '../shared/limits';
import { button, h } from './dom';

/** Plain text shown before "Show all". */
const MAX_PLAIN_CHARS = 100_000;

const SAFE_URL = /^(?:https?:|mailto:)/i;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, maxNesting: MAX_MARKDOWN_DEPTH + 4 });
md.validateLink = (url: string) => SAFE_URL.test(url.trim());

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'a',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const purifier = DOMPurify(window);
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href');
    if (href && SAFE_URL.test(href)) {
      node.setAttribute('title', href);
      node.setAttribute('rel', 'noopener noreferrer');
    } else {
      node.removeAttribute('href');
    }
  }
});

/** How deeply block containers (quotes, list items) nest at the start of any line. */
export function blockDepth(text: string): number {
  let max = 0;
  for (const line of text.split('\n')) {
    // Lists nested by indentation: each level indents by at least two columns.
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent > 2 * MAX_MARKDOWN_DEPTH && /^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]/.test(line)) return indent;
    let rest = line;
    let depth = 0;
    for (;;) {
      const m = /^ {0,3}(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?/.exec(rest);
      if (!m) break;
      depth += 1;
      rest = rest.slice(m[0].length);
      if (depth > MAX_MARKDOWN_DEPTH) return depth;
    }
    max = Math.max(max, depth);
  }
  return max;
}

/** Why a text is shown unformatted, or null when it can be formatted. */
export function plainReason(text: string): string | null {
  if (text.length > MAX_MARKDOWN_CHARS) return 'too long to format';
  if (blockDepth(text) > MAX_MARKDOWN_DEPTH) return 'nested too deeply to format';
  return null;
}

export interface MarkdownOptions {
  /** Called for each code block, returns the controls to show above it (Copy, Insert…). */
  codeActions?: (code: string) => Node;
}

export function renderMarkdown(text: string, options: MarkdownOptions = {}): HTMLElement {
  const reason = plainReason(text);
  if (reason) return plainText(text, reason);
  const fragment = purifier.sanitize(md.render(text), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'rel', 'start'],
    ALLOWED_URI_REGEXP: SAFE_URL,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  const root = h('div', { class: 'md' });
  root.appendChild(fragment);
  if (options.codeActions) decorateCodeBlocks(root, options.codeActions);
  return root;
}

/** Unformatted text; beyond MAX_PLAIN_CHARS only on request (laying out megabytes takes seconds). */
function plainText(text: string, reason: string): HTMLElement {
  const pre = h('pre', { class: 'plain' }, text.slice(0, MAX_PLAIN_CHARS));
  const root = h('div', { class: 'md md-plain' }, h('p', { class: 'note' }, `Shown as plain text (${reason}).`), pre);
  if (text.length > MAX_PLAIN_CHARS) {
    const more = button(
      `Show all (${text.length.toLocaleString('en')} characters)`,
      () => {
        pre.textContent = text;
        more.remove();
      },
      { 'aria-label': 'Show the whole text' },
    );
    root.append(more);
  }
  return root;
}

function decorateCodeBlocks(root: HTMLElement, actions: (code: string) => Node): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.textContent ?? '';
    const block = h('div', { class: 'codeblock' }, h('div', { class: 'codeblock-actions' }, actions(code.replace(/\n$/, ''))));
    pre.replaceWith(block);
    block.appendChild(pre);
  }
}
