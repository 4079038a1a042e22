// One line of feedback from the host or the panel ("Copied", errors), announced to screen readers.
import { button, h } from '../dom';

export class NoticeView {
  readonly root = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });

  show(level: 'info' | 'warning' | 'error', message: string): void {
    this.root.className = `notice notice-${level}`;
    this.root.hidden = false;
    this.root.replaceChildren(
      h('span', { class: 'notice-text' }, message),
      button('×', () => this.clear(), { 'aria-label': 'Dismiss message', class: 'icon' }),
    );
  }

  clear(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
  }
}
