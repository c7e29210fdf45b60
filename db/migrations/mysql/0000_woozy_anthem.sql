-- Edited by hand after drizzle-kit generate: table options added. utf8mb4 so 4-byte characters (emoji) are stored;
-- utf8mb4_bin because the *_general_ci / *_unicode_ci collations compare all emoji as equal and ignore case,
-- which would merge distinct dedup keys and user ids (SQLite compares bytes). Set per table so it does not
-- depend on the database's default charset; later ALTER TABLE ADD COLUMN inherits it.
CREATE TABLE `inbox` (
	`id` int AUTO_INCREMENT NOT NULL,
	`dedup_key` varchar(191) NOT NULL,
	`user_id` varchar(191) NOT NULL,
	`kind` varchar(64) NOT NULL,
	`encrypted` mediumtext NOT NULL,
	`received_at` datetime(3) NOT NULL,
	`status` enum('pending','done','dead') NOT NULL,
	`attempts` int NOT NULL,
	`next_attempt_at` datetime(3) NOT NULL,
	`last_error` text,
	`done_at` datetime(3),
	CONSTRAINT `inbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `inbox_dedup_key_uq` UNIQUE(`dedup_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `members` (
	`user_id` varchar(64) NOT NULL,
	`name` varchar(100) NOT NULL,
	`role` enum('member','staff') NOT NULL,
	`sector` varchar(100),
	`committee` varchar(100),
	`mobile` varchar(32),
	`active` boolean NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `members_user_id` PRIMARY KEY(`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` int AUTO_INCREMENT NOT NULL,
	`dedup_key` varchar(191) NOT NULL,
	`to_user` varchar(191) NOT NULL,
	`message` json NOT NULL,
	`status` enum('pending','sent','failed') NOT NULL,
	`attempts` int NOT NULL,
	`next_attempt_at` datetime(3) NOT NULL,
	`last_errcode` int,
	`last_error` text,
	`wecom_msg_id` varchar(255),
	`created_at` datetime(3) NOT NULL,
	`sent_at` datetime(3),
	CONSTRAINT `outbox_id` PRIMARY KEY(`id`),
	CONSTRAINT `outbox_dedup_key_uq` UNIQUE(`dedup_key`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE INDEX `inbox_status_next_idx` ON `inbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `inbox_user_status_id_idx` ON `inbox` (`user_id`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `outbox_status_next_idx` ON `outbox` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `outbox_to_user_id_idx` ON `outbox` (`to_user`,`id`);