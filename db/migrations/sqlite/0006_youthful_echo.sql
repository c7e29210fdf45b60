CREATE TABLE `sentiment_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`report_id` integer NOT NULL,
	`seq` integer NOT NULL,
	`action` text NOT NULL,
	`state` text NOT NULL,
	`actor_id` text(64) NOT NULL,
	`summary` text NOT NULL,
	`detail` text NOT NULL,
	`tell` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sentiment_events_report_seq_uq` ON `sentiment_events` (`report_id`,`seq`);--> statement-breakpoint
CREATE TABLE `sentiment_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`submit_key` text(191) NOT NULL,
	`year` integer NOT NULL,
	`seq` integer NOT NULL,
	`number` text(64) NOT NULL,
	`source` text NOT NULL,
	`reporter_id` text(64) NOT NULL,
	`joint_ids` text NOT NULL,
	`reply_to` text(128),
	`reply_channel` text(32),
	`last_seen_at` integer,
	`title` text(255) NOT NULL,
	`category` text(64),
	`situation` text NOT NULL,
	`analysis` text NOT NULL,
	`suggestions` text NOT NULL,
	`town` text(64),
	`contact` text(64),
	`proposal_id` integer,
	`state` text NOT NULL,
	`level` text,
	`adoption_mode` text,
	`forward_unit` text(128),
	`forward_due` text(10),
	`instructions` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sentiment_reports_submit_key_uq` ON `sentiment_reports` (`submit_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `sentiment_reports_year_seq_uq` ON `sentiment_reports` (`year`,`seq`);--> statement-breakpoint
CREATE INDEX `sentiment_reports_reporter_idx` ON `sentiment_reports` (`reporter_id`);--> statement-breakpoint
CREATE INDEX `sentiment_reports_state_idx` ON `sentiment_reports` (`state`);