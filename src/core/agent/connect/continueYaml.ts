// Dejafix's entries in Continue's YAML config: the `dejafix` item of `mcpServers:` (and of `rules:`)
// in ~/.continue/config.yaml, or the block file .continue/mcpServers/dejafix.yaml. Edited through the
// `yaml` package's document model, so comments and every other item stay.
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { ConfigMergeError } from './mergeError';
import { SERVER_NAME } from './jsonMcp';

type Item = Record<string, unknown>;
/** The keys of a block file Continue needs besides its list; a file with only these left was ours. */
const BLOCK_KEYS = new Set(['name', 'version', 'schema']);

function load(text: string | undefined, file: string): Document {
  const doc = parseDocument(text ?? '', { keepSourceTokens: false });
  if (doc.errors.length)
    throw new ConfigMergeError(
      `${file} is not valid YAML (${doc.errors[0].message.split('\n')[0]}); fix it first — Dejafix does not overwrite it`,
    );
  if (doc.contents !== null && !isMap(doc.contents))
    throw new ConfigMergeError(`${file} does not hold a YAML mapping; fix it first — Dejafix does not overwrite it`);
  return doc;
}

function listOf(doc: Document, key: string, file: string) {
  const list = doc.get(key, true);
  if (list === undefined || list === null || (isScalar(list) && list.value === null)) return undefined;
  if (!isSeq(list)) throw new ConfigMergeError(`"${key}" in ${file} is not a list; fix it first — Dejafix does not overwrite it`);
  return list;
}

const isOurs = (node: unknown) => isMap(node) && node.get('name') === SERVER_NAME;

/** The text with `item` (named dejafix) in the list `key`: added, or replaced keeping the user's other keys of it. */
export function addYamlItem(text: string | undefined, key: string, item: Item, file: string, header: Item = {}): string {
  const doc = load(text, file);
  if (doc.contents === null) {
    const fresh = parseDocument('{}');
    for (const [k, v] of Object.entries(header)) fresh.set(k, v);
    fresh.set(key, [item]);
    return `# Added by \`dejafix connect\`; \`dejafix disconnect\` removes it.\n${fresh.toString()}`;
  }
  const list = listOf(doc, key, file);
  if (!list) {
    doc.set(key, doc.createNode([item]));
    return doc.toString();
  }
  const at = list.items.findIndex(isOurs);
  if (at < 0) {
    list.items.push(doc.createNode(item));
    return doc.toString();
  }
  const old = (list.items[at] as { toJSON(): Item }).toJSON();
  const merged = { ...old, ...item };
  if (JSON.stringify(old) === JSON.stringify(merged)) return text ?? '';
  for (const [k, v] of Object.entries(item)) (list.items[at] as { set(k: string, v: unknown): void }).set(k, doc.createNode(v));
  return doc.toString();
}

/** The text without the dejafix item of `key` (and without `key` when it empties); undefined when a block file (`blockFile`) has only its header left. */
export function removeYamlItem(text: string | undefined, key: string, file: string, blockFile = false): string | undefined {
  if (text === undefined) return undefined;
  const doc = load(text, file);
  const list = doc.contents === null ? undefined : listOf(doc, key, file);
  if (!list || !list.items.some(isOurs)) return text;
  list.items = list.items.filter((n) => !isOurs(n));
  if (!list.items.length) doc.delete(key);
  const left = isMap(doc.contents) ? doc.contents.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key)) : [];
  if (!left.length || (blockFile && left.every((k) => BLOCK_KEYS.has(k)))) return undefined;
  return doc.toString();
}
