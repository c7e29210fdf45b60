CREATE TABLE `notice_recipients` (
	`notice_id` integer NOT NULL,
	`user_id` text(64) NOT NULL,
	`name` text(100) NOT NULL,
	`answer` text,
	`reason` text,
	`answered_at` integer,
	`delivery` text NOT NULL,
	`delivery_error` text(255),
	`delivered_at` integer,
	PRIMARY KEY(`notice_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `notice_recipients_user_idx` ON `notice_recipients` (`user_id`,`notice_id`);--> statement-breakpoint
CREATE TABLE `notice_reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`notice_id` integer NOT NULL,
	`kind` text NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer,
	`done_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notice_reminders_notice_kind_uq` ON `notice_reminders` (`notice_id`,`kind`);--> statement-breakpoint
CREATE INDEX `notice_reminders_due_idx` ON `notice_reminders` (`done_at`,`due_at`);--> statement-breakpoint
CREATE TABLE `notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`create_key` text(191) NOT NULL,
	`title` text(255) NOT NULL,
	`kind` text(32) NOT NULL,
	`starts_at` integer NOT NULL,
	`place` text(255) NOT NULL,
	`content` text NOT NULL,
	`audience` text NOT NULL,
	`reply_by` integer NOT NULL,
	`leave_needs_reason` integer NOT NULL,
	`created_by` text(64) NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notices_create_key_uq` ON `notices` (`create_key`);--> statement-breakpoint
CREATE INDEX `notices_sent_at_idx` ON `notices` (`sent_at`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `recipients` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `notice_id` integer;--> statement-breakpoint
ALTER TABLE `outbox` ADD `card_update` text;