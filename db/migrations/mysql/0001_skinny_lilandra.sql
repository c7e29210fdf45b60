-- Edited by hand after drizzle-kit generate: table options added, as in 0000 (utf8mb4 for emoji in titles and
-- JSON data; utf8mb4_bin so user ids and submit keys compare as bytes, like SQLite).
CREATE TABLE `conversations` (
	`user_id` varchar(64) NOT NULL,
	`data` json NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `conversations_user_id` PRIMARY KEY(`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `cosigners` (
	`proposal_id` int NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`status` enum('invited','accepted','declined') NOT NULL,
	`responded_at` datetime(3),
	CONSTRAINT `cosigners_proposal_id_user_id_pk` PRIMARY KEY(`proposal_id`,`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` varchar(64) NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`flow_id` varchar(64) NOT NULL,
	`title` varchar(255),
	`data` json NOT NULL,
	`created_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `drafts_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_events` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`status` enum('submitted','under_review','returned','withdrawn','merged','not_registered','registered','assigned','in_progress','replied','rehandling','closed') NOT NULL,
	`note` text,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `proposal_events_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` int AUTO_INCREMENT NOT NULL,
	`submit_key` varchar(191) NOT NULL,
	`year` int NOT NULL,
	`seq` int NOT NULL,
	`number` varchar(64) NOT NULL,
	`owner_id` varchar(64) NOT NULL,
	`title` varchar(255) NOT NULL,
	`category` varchar(64),
	`subcategory` varchar(64),
	`reason` text NOT NULL,
	`suggestions` text NOT NULL,
	`handling_units` json NOT NULL,
	`is_public` boolean NOT NULL,
	`status` enum('submitted','under_review','returned','withdrawn','merged','not_registered','registered','assigned','in_progress','replied','rehandling','closed') NOT NULL,
	`submitted_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `proposals_id` PRIMARY KEY(`id`),
	CONSTRAINT `proposals_submit_key_uq` UNIQUE(`submit_key`),
	CONSTRAINT `proposals_year_seq_uq` UNIQUE(`year`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE INDEX `cosigners_user_idx` ON `cosigners` (`user_id`);--> statement-breakpoint
CREATE INDEX `drafts_user_updated_idx` ON `drafts` (`user_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `proposal_events_proposal_id_idx` ON `proposal_events` (`proposal_id`,`id`);--> statement-breakpoint
CREATE INDEX `proposals_owner_idx` ON `proposals` (`owner_id`);