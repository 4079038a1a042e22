// A where-clause, built only inside src/core/store. The store's methods take a `Where`, never a
// string, so storage syntax cannot cross its public API: callers elsewhere cannot make one (lint
// keeps this file's import inside the store) and ask the typed questions of queries.ts instead.
import { sqlString } from './rows';

declare const whereBrand: unique symbol;
export type Where = string & { readonly [whereBrand]: true };

/** Marks a clause built here in the store as a `Where`. */
export function where(sql: string): Where {
  return sql as Where;
}

/** `column IN (…)` with the values quoted; an empty list matches nothing. */
export function inList(column: string, values: readonly string[]): Where {
  return where(values.length ? `${column} IN (${values.map(sqlString).join(', ')})` : 'false');
}

/** `column = 'value'`. */
export function equals(column: string, value: string): Where {
  return where(`${column} = ${sqlString(value)}`);
}

/** The parts that are set, joined with AND; undefined when none is. */
export function and(parts: readonly (Where | false | undefined | '')[]): Where | undefined {
  const p = parts.filter((x): x is Where => Boolean(x));
  return p.length ? where(p.join(' AND ')) : undefined;
}
