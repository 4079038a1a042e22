import { chatClear, chatSend, chatStop } from './chat';
import { codeCopy, codeInsert } from './code';
import type { HandlerTable } from './context';
import { healthCancel, healthRun } from './health';
import { episodeNotRelevant, episodeOpenPatch, episodeShare, episodeUndoNotRelevant, recallShowWeaker } from './episodes';
import { insightAction, insightEdit, insightShare } from './insights';
import { ready, webviewError } from './lifecycle';
import { promptCompose, promptOpenInCopilot } from './prompt';
import { chatSetApiKey, chatSetupVsCodeModel, sessionDismissSaved, sessionKeepWorking, sessionSaveResolved } from './session';

export const handlers: HandlerTable = {
  ready,
  'episode.notRelevant': episodeNotRelevant,
  'episode.undoNotRelevant': episodeUndoNotRelevant,
  'recall.showWeaker': recallShowWeaker,
  'episode.openPatch': episodeOpenPatch,
  'episode.share': episodeShare,
  'insight.share': insightShare,
  'insight.action': insightAction,
  'insight.edit': insightEdit,
  'prompt.compose': promptCompose,
  'prompt.openInCopilot': promptOpenInCopilot,
  'chat.send': chatSend,
  'chat.stop': chatStop,
  'chat.clear': chatClear,
  'code.copy': codeCopy,
  'code.insert': codeInsert,
  'chat.setApiKey': chatSetApiKey,
  'chat.setupVsCodeModel': chatSetupVsCodeModel,
  'session.saveResolved': sessionSaveResolved,
  'session.keepWorking': sessionKeepWorking,
  'session.dismissSaved': sessionDismissSaved,
  'health.run': healthRun,
  'health.cancel': healthCancel,
  'webview.error': webviewError,
};
