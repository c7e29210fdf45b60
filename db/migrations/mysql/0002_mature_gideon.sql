-- Edited by hand after drizzle-kit generate: table options added, as in 0000 (utf8mb4_bin: user ids and keys
-- compare as bytes, like SQLite). Added outbox columns inherit the outbox table's options.
CREATE TABLE `notice_recipients` (
	`notice_id` int NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`name` varchar(100) NOT NULL,
	`answer` enum('attend','leave'),
	`reason` text,
	`answered_at` datetime(3),
	`delivery` enum('pending','sent','failed') NOT NULL,
	`delivery_error` varchar(255),
	`delivered_at` datetime(3),
	CONSTRAINT `notice_recipients_notice_id_user_id_pk` PRIMARY KEY(`notice_id`,`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `notice_reminders` (
	`id` int AUTO_INCREMENT NOT NULL,
	`notice_id` int NOT NULL,
	`kind` enum('nonResponders','morning') NOT NULL,
	`due_at` datetime(3) NOT NULL,
	`lease_until` datetime(3),
	`done_at` datetime(3),
	CONSTRAINT `notice_reminders_id` PRIMARY KEY(`id`),
	CONSTRAINT `notice_reminders_notice_kind_uq` UNIQUE(`notice_id`,`kind`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `notices` (
	`id` int AUTO_INCREMENT NOT NULL,
	`create_key` varchar(191) NOT NULL,
	`title` varchar(255) NOT NULL,
	`kind` varchar(32) NOT NULL,
	`starts_at` datetime(3) NOT NULL,
	`place` varchar(255) NOT NULL,
	`content` text NOT NULL,
	`audience` json NOT NULL,
	`reply_by` datetime(3) NOT NULL,
	`leave_needs_reason` boolean NOT NULL,
	`created_by` varchar(64) NOT NULL,
	`status` enum('draft','sent') NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`sent_at` datetime(3),
	CONSTRAINT `notices_id` PRIMARY KEY(`id`),
	CONSTRAINT `notices_create_key_uq` UNIQUE(`create_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
ALTER TABLE `outbox` ADD `recipients` json;--> statement-breakpoint
ALTER TABLE `outbox` ADD `notice_id` int;--> statement-breakpoint
ALTER TABLE `outbox` ADD `card_update` json;--> statement-breakpoint
CREATE INDEX `notice_recipients_user_idx` ON `notice_recipients` (`user_id`,`notice_id`);--> statement-breakpoint
CREATE INDEX `notice_reminders_due_idx` ON `notice_reminders` (`done_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `notices_sent_at_idx` ON `notices` (`sent_at`);