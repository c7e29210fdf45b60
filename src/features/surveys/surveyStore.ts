import { storeFor } from '../../store/sqlHandle.js';
import { createMysqlSurveys } from './mysqlSurveyStore.js';
import { createSqliteSurveys } from './sqliteSurveyStore.js';

/** The surveys store of a Database (the adapter of its dialect). */
export const surveyStore = storeFor({ sqlite: createSqliteSurveys, mysql: createMysqlSurveys });
