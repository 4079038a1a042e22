import type { Field, Schema } from 'apache-arrow';
import type { ArrowModule } from './lance';

/** The schema version this code writes. Bump it together with a new entry in migrations.ts. */
export const SCHEMA_VERSION = 2;

export const TABLES = {
  meta: 'meta',
  episodes: 'episodes',
  attempts: 'attempts',
  insights: 'insights',
} as const;

/** Columns that get a full-text index, by table. */
export const FTS_COLUMNS = {
  episodes: ['issueText'],
  insights: ['text'],
} as const;

type Col = [name: string, type: 'str' | 'strs' | 'int' | 'bigint', nullable?: boolean];

// Every column but `id` is nullable: columns added by a migration are nullable in old tables,
// and new tables must have the same shape as migrated ones.
const columns: Record<keyof typeof TABLES, Col[]> = {
  meta: [['id', 'str', false], ['value', 'str']],
  episodes: [
    ['id', 'str', false], ['repo', 'str'], ['title', 'str'], ['body', 'str'], ['issueUrl', 'str'],
    ['issueNumber', 'int'], ['errorSignature', 'str'], ['finalPatch', 'str'], ['files', 'strs'],
    ['symbols', 'strs'], ['outcome', 'str'], ['source', 'str'], ['createdAt', 'str'],
    ['issueText', 'str'], ['updatedAt', 'str'],
    // added in schema 2
    ['reproTest', 'str'], ['sourceId', 'str'], ['endedAt', 'str'],
  ],
  attempts: [
    ['id', 'str', false], ['episodeId', 'str'], ['patch', 'str'], ['command', 'str'],
    ['exitCode', 'int'], ['outputTail', 'str'], ['at', 'str'], ['by', 'str'], ['outcome', 'str'],
  ],
  insights: [
    ['id', 'str', false], ['text', 'str'], ['role', 'str'], ['scope', 'str'], ['importance', 'bigint'],
    ['evidenceEpisodes', 'strs'], ['evidenceFiles', 'strs'], ['status', 'str'], ['createdAt', 'str'],
    ['updatedAt', 'str'], ['lastUsedAt', 'str'],
  ],
};

/** Columns that schema 2 added to schema-1 tables (see migrations.ts). */
export const ADDED_IN_V2: Record<string, string[]> = { episodes: ['reproTest', 'sourceId', 'endedAt'] };

export function arrowField(a: ArrowModule, [name, type, nullable = true]: Col): Field {
  switch (type) {
    case 'str': return new a.Field(name, new a.Utf8(), nullable);
    case 'int': return new a.Field(name, new a.Int32(), nullable);
    case 'bigint': return new a.Field(name, new a.Int64(), nullable);
    case 'strs': return new a.Field(name, new a.List(new a.Field('item', new a.Utf8(), true)), nullable);
  }
}

/** The explicit Arrow schema of a table at a schema version. */
export function tableSchema(a: ArrowModule, table: keyof typeof TABLES, version = SCHEMA_VERSION): Schema {
  const dropped = version < 2 ? new Set(ADDED_IN_V2[table] ?? []) : new Set<string>();
  return new a.Schema(columns[table].filter(([n]) => !dropped.has(n)).map((c) => arrowField(a, c)));
}

export function columnOf(table: keyof typeof TABLES, name: string): Col {
  const c = columns[table].find(([n]) => n === name);
  if (!c) throw new Error(`no column ${table}.${name}`);
  return c;
}
