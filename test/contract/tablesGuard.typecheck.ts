/**
 * Proves the drift guard of src/store/tablesGuard.ts (and the features' copies) can fail: each pair below differs in
 * one column the way the two dialects' tables could drift, and `tsc --noEmit` fails if `Assert<Eq<…>>` ever accepts
 * one of them (the @ts-expect-error becomes unused). Checked by the typecheck, not by vitest: the guard is types only.
 */
import { datetime, int, mysqlEnum, mysqlTable, text as myText, varchar } from 'drizzle-orm/mysql-core';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Assert, Eq, SameTable } from '../../src/store/tablesGuard.js';

const ms = { mode: 'date', fsp: 3 } as const;

export const lite = sqliteTable('t', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name', { length: 64 }).notNull(),
  status: text('status', { enum: ['a', 'b'] }).notNull(),
  note: text('note'),
  at: integer('at', { mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date()),
});

export const same = mysqlTable('t', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 64 }).notNull(),
  status: mysqlEnum('status', ['a', 'b']).notNull(),
  note: myText('note'),
  at: datetime('at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

/** The same column set as `same`, with one change: nullable on one side only. */
export const nullable = mysqlTable('t', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 64 }),
  status: mysqlEnum('status', ['a', 'b']).notNull(),
  note: myText('note'),
  at: datetime('at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

/** An enum value added on one side only. */
export const widerEnum = mysqlTable('t', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 64 }).notNull(),
  status: mysqlEnum('status', ['a', 'b', 'c']).notNull(),
  note: myText('note'),
  at: datetime('at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

/** A default on one side only: the select types agree, the insert types do not. */
export const noDefault = mysqlTable('t', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 64 }).notNull(),
  status: mysqlEnum('status', ['a', 'b']).notNull(),
  note: myText('note'),
  at: datetime('at', ms).notNull(),
});

/** A column missing on one side. */
export const missing = mysqlTable('t', {
  id: int('id').autoincrement().primaryKey(),
  name: varchar('name', { length: 64 }).notNull(),
  status: mysqlEnum('status', ['a', 'b']).notNull(),
  at: datetime('at', ms)
    .notNull()
    .$defaultFn(() => new Date()),
});

export type TablesGuardCanFail = [
  Assert<Eq<typeof same.$inferSelect, typeof lite.$inferSelect>>,
  Assert<Eq<typeof same.$inferInsert, typeof lite.$inferInsert>>,
  // @ts-expect-error name is nullable in MySQL only
  Assert<Eq<typeof nullable.$inferSelect, typeof lite.$inferSelect>>,
  // @ts-expect-error status accepts 'c' in MySQL only
  Assert<Eq<typeof widerEnum.$inferSelect, typeof lite.$inferSelect>>,
  Assert<Eq<typeof noDefault.$inferSelect, typeof lite.$inferSelect>>,
  // @ts-expect-error `at` is required on insert in MySQL only
  Assert<Eq<typeof noDefault.$inferInsert, typeof lite.$inferInsert>>,
  // @ts-expect-error note exists in SQLite only
  Assert<Eq<typeof missing.$inferSelect, typeof lite.$inferSelect>>,
  // SameTable (what the guards use) checks select and insert together.
  Assert<SameTable<typeof same, typeof lite>>,
  // @ts-expect-error select agrees, insert does not (`at` required in MySQL only)
  Assert<SameTable<typeof noDefault, typeof lite>>,
  // @ts-expect-error name is nullable in MySQL only
  Assert<SameTable<typeof nullable, typeof lite>>,
];
