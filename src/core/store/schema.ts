import type { Field, Schema } from 'apache-arrow';
import type { ArrowModule } from './lance';

/** The schema version this code writes. Bump it together with a new entry in migrations.ts. */
export const SCHEMA_VERSION = 6;

export const TABLES = {
  meta: 'meta',
  episodes: 'episodes',
  attempts: 'attempts',
  insights: 'insights',
  /** Ids forgotten from a team store, so replicas forget them too (team/sync.ts). */
  tombstones: 'tombstones',
} as const;

/** Tables created after schema 1, with the version that created them. */
export const TABLE_SINCE: Partial<Record<keyof typeof TABLES, number>> = { tombstones: 6 };

/** Columns that get a full-text index, by table. */
export const FTS_COLUMNS = {
  episodes: ['issueText', 'code'],
  insights: ['text'],
} as const;

/** A column: name, type, nullable, and the schema version that added it (1 when absent). */
type Col = [name: string, type: 'str' | 'strs' | 'int' | 'bigint', nullable?: boolean, since?: number];

// Every column but `id` is nullable: columns added by a migration are nullable in old tables,
// and new tables must have the same shape as migrated ones.
const columns: Record<keyof typeof TABLES, Col[]> = {
  meta: [
    ['id', 'str', false],
    ['value', 'str'],
  ],
  episodes: [
    ['id', 'str', false],
    ['repo', 'str'],
    ['title', 'str'],
    ['body', 'str'],
    ['issueUrl', 'str'],
    ['issueNumber', 'int'],
    ['errorSignature', 'str'],
    ['finalPatch', 'str'],
    ['files', 'strs'],
    ['symbols', 'strs'],
    ['outcome', 'str'],
    ['source', 'str'],
    ['createdAt', 'str'],
    ['issueText', 'str'],
    ['updatedAt', 'str'],
    ['reproTest', 'str', true, 2],
    ['sourceId', 'str', true, 2],
    ['endedAt', 'str', true, 2],
    // files and symbols as searchable text: the code field of recall
    ['code', 'str', true, 3],
    // provenance of shared records (model/provenance.ts)
    ['origin', 'str', true, 6],
    ['sharedBy', 'str', true, 6],
    ['sharedAt', 'str', true, 6],
    ['sharedFrom', 'str', true, 6],
  ],
  attempts: [
    ['id', 'str', false],
    ['episodeId', 'str'],
    ['patch', 'str'],
    ['command', 'str'],
    ['exitCode', 'int'],
    ['outputTail', 'str'],
    ['at', 'str'],
    ['by', 'str'],
    ['outcome', 'str'],
  ],
  insights: [
    ['id', 'str', false],
    ['text', 'str'],
    ['role', 'str'],
    ['scope', 'str'],
    ['importance', 'bigint'],
    ['evidenceEpisodes', 'strs'],
    ['evidenceFiles', 'strs'],
    ['status', 'str'],
    ['createdAt', 'str'],
    ['updatedAt', 'str'],
    ['lastUsedAt', 'str'],
    // staleness and user feedback (reflect/maintain.ts)
    ['stale', 'str', true, 4],
    ['helpful', 'int', true, 4],
    ['unhelpful', 'int', true, 4],
    ['origin', 'str', true, 6],
    ['sharedBy', 'str', true, 6],
    ['sharedAt', 'str', true, 6],
    ['sharedFrom', 'str', true, 6],
  ],
  tombstones: [
    ['id', 'str', false],
    ['kind', 'str'],
    ['deletedAt', 'str'],
    ['deletedBy', 'str'],
  ],
};

/** Names of the columns that schema `version` added to a table (see migrations.ts). */
export function columnsAddedIn(table: keyof typeof TABLES, version: number): string[] {
  return columns[table].filter((c) => (c[3] ?? 1) === version).map((c) => c[0]);
}

export function arrowField(a: ArrowModule, [name, type, nullable = true]: Col): Field {
  switch (type) {
    case 'str':
      return new a.Field(name, new a.Utf8(), nullable);
    case 'int':
      return new a.Field(name, new a.Int32(), nullable);
    case 'bigint':
      return new a.Field(name, new a.Int64(), nullable);
    case 'strs':
      return new a.Field(name, new a.List(new a.Field('item', new a.Utf8(), true)), nullable);
  }
}

/** The explicit Arrow schema of a table at a schema version. */
export function tableSchema(a: ArrowModule, table: keyof typeof TABLES, version = SCHEMA_VERSION): Schema {
  return new a.Schema(columns[table].filter((c) => (c[3] ?? 1) <= version).map((c) => arrowField(a, c)));
}

export function columnOf(table: keyof typeof TABLES, name: string): Col {
  const c = columns[table].find(([n]) => n === name);
  if (!c) throw new Error(`no column ${table}.${name}`);
  return c;
}
