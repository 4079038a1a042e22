import { chatClear, chatSend, chatStop } from './chat';
import { codeCopy, codeInsert } from './code';
import type { HandlerTable } from './context';
import { episodeNotRelevant, episodeOpenPatch } from './episodes';
import { insightAction, insightEdit } from './insights';
import { ready, webviewError } from './lifecycle';
import { promptCompose, promptOpenInCopilot } from './prompt';

export const handlers: HandlerTable = {
  ready,
  'episode.notRelevant': episodeNotRelevant,
  'episode.openPatch': episodeOpenPatch,
  'insight.action': insightAction,
  'insight.edit': insightEdit,
  'prompt.compose': promptCompose,
  'prompt.openInCopilot': promptOpenInCopilot,
  'chat.send': chatSend,
  'chat.stop': chatStop,
  'chat.clear': chatClear,
  'code.copy': codeCopy,
  'code.insert': codeInsert,
  'webview.error': webviewError,
};
