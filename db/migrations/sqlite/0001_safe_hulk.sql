CREATE TABLE `conversations` (
	`user_id` text(64) PRIMARY KEY NOT NULL,
	`data` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cosigners` (
	`proposal_id` integer NOT NULL,
	`user_id` text(64) NOT NULL,
	`status` text NOT NULL,
	`responded_at` integer,
	PRIMARY KEY(`proposal_id`, `user_id`)
);
--> statement-breakpoint
CREATE INDEX `cosigners_user_idx` ON `cosigners` (`user_id`);--> statement-breakpoint
CREATE TABLE `drafts` (
	`id` text(64) PRIMARY KEY NOT NULL,
	`user_id` text(64) NOT NULL,
	`flow_id` text(64) NOT NULL,
	`title` text(255),
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `drafts_user_updated_idx` ON `drafts` (`user_id`,`updated_at`);--> statement-breakpoint
CREATE TABLE `proposal_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`status` text NOT NULL,
	`note` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `proposal_events_proposal_id_idx` ON `proposal_events` (`proposal_id`,`id`);--> statement-breakpoint
CREATE TABLE `proposals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submit_key` text(191) NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`number` text(64) NOT NULL,
	`owner_id` text(64) NOT NULL,
	`title` text(255) NOT NULL,
	`category` text(64),
	`subcategory` text(64),
	`reason` text NOT NULL,
	`suggestions` text NOT NULL,
	`handling_units` text NOT NULL,
	`is_public` integer NOT NULL,
	`status` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposals_submit_key_uq` ON `proposals` (`submit_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `proposals_year_seq_uq` ON `proposals` (`year`,`seq`);--> statement-breakpoint
CREATE INDEX `proposals_owner_idx` ON `proposals` (`owner_id`);