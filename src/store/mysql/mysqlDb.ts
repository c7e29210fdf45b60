import type { MySqlDatabase } from 'drizzle-orm/mysql-core';
import type { MySql2PreparedQueryHKT, MySql2QueryResultHKT } from 'drizzle-orm/mysql2';

/** The drizzle handle the MySQL adapters share: the pool-backed database or a transaction on it. */
export type MysqlDb = MySqlDatabase<MySql2QueryResultHKT, MySql2PreparedQueryHKT>;
