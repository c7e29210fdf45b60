CREATE TABLE `inbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedup_key` text(191) NOT NULL,
	`user_id` text(191) NOT NULL,
	`kind` text(64) NOT NULL,
	`encrypted` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`done_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_dedup_key_uq` ON `inbox` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `inbox_status_next_idx` ON `inbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `inbox_user_status_id_idx` ON `inbox` (`user_id`,`status`,`id`);--> statement-breakpoint
CREATE TABLE `members` (
	`user_id` text(64) PRIMARY KEY NOT NULL,
	`name` text(100) NOT NULL,
	`role` text NOT NULL,
	`sector` text(100),
	`committee` text(100),
	`mobile` text(32),
	`active` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`dedup_key` text(191) NOT NULL,
	`to_user` text(191) NOT NULL,
	`message` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_errcode` integer,
	`last_error` text,
	`wecom_msg_id` text(255),
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedup_key_uq` ON `outbox` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `outbox_status_next_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_to_user_id_idx` ON `outbox` (`to_user`,`id`);