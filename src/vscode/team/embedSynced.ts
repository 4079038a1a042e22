// Embeds the episodes a sync (team store or repository folder) wrote into the local replica; a model
// failure leaves them to lexical recall (the next sync or import embeds them).
import { errorText } from '../../core/util/errors';
import type { App } from '../app';

export async function embedSynced(app: App, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const embedder = await app.memory.embedderOrNone();
  if (!embedder) return 0;
  try {
    const { vectorizePending } = await import('../../core/recall/vectorize');
    return (await vectorizePending(await app.memory.open(), embedder, { ids })).done;
  } catch (e) {
    app.log.warn(`synced records were not embedded (recall finds them by text): ${errorText(e)}`);
    return 0;
  }
}
