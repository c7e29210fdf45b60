import { defineChanges } from '../../store/changeAppliers.js';
import { applyMysqlNoticeChange } from './mysqlNoticeStore.js';
import type { NoticeChange } from './ports.js';
import { applySqliteNoticeChange } from './sqliteNoticeStore.js';

declare module '../../core/ports.js' {
  interface FeatureChanges {
    notices: NoticeChange;
  }
}

/** How each notice change is written, per dialect, inside the commit's transaction. */
export const noticeChanges = defineChanges<NoticeChange>({
  sqlite: {
    'notice.create': applySqliteNoticeChange,
    'notice.send': applySqliteNoticeChange,
    'notice.answer': applySqliteNoticeChange,
    'notice.delivery': applySqliteNoticeChange,
    'notice.reminderDone': applySqliteNoticeChange,
  },
  mysql: {
    'notice.create': applyMysqlNoticeChange,
    'notice.send': applyMysqlNoticeChange,
    'notice.answer': applyMysqlNoticeChange,
    'notice.delivery': applyMysqlNoticeChange,
    'notice.reminderDone': applyMysqlNoticeChange,
  },
});
