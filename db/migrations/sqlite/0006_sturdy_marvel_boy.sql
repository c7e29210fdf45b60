CREATE TABLE `duty_attendance` (
	`notice_id` integer NOT NULL,
	`user_id` text(64) NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`marked_by` text(64) NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`notice_id`, `user_id`)
);
--> statement-breakpoint
CREATE TABLE `proposal_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`unit` text(100) NOT NULL,
	`role` text NOT NULL,
	`state` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`meeting_due` text(10),
	`return_by` text(10),
	`reply_due` text(10),
	`signed_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `proposal_assignments_proposal_idx` ON `proposal_assignments` (`proposal_id`);--> statement-breakpoint
CREATE INDEX `proposal_assignments_unit_idx` ON `proposal_assignments` (`unit`,`state`);--> statement-breakpoint
CREATE TABLE `proposal_deadlines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`kind` text(32) NOT NULL,
	`unit` text(100) NOT NULL,
	`round` integer NOT NULL,
	`due_at` integer NOT NULL,
	`lease_until` integer,
	`done_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `proposal_deadlines_uq` ON `proposal_deadlines` (`proposal_id`,`kind`,`unit`,`round`);--> statement-breakpoint
CREATE INDEX `proposal_deadlines_due_idx` ON `proposal_deadlines` (`done_at`,`due_at`);--> statement-breakpoint
CREATE TABLE `proposal_evaluations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`round` integer NOT NULL,
	`rating` text(8) NOT NULL,
	`comment` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `proposal_evaluations_proposal_idx` ON `proposal_evaluations` (`proposal_id`);--> statement-breakpoint
CREATE TABLE `proposal_meetings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`unit` text(100) NOT NULL,
	`date` text(10) NOT NULL,
	`way` text(16) NOT NULL,
	`participants` text NOT NULL,
	`note` text,
	`source` text NOT NULL,
	`held` integer,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `proposal_meetings_proposal_idx` ON `proposal_meetings` (`proposal_id`);--> statement-breakpoint
CREATE TABLE `proposal_replies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`proposal_id` integer NOT NULL,
	`round` integer NOT NULL,
	`unit` text(100) NOT NULL,
	`result_class` text NOT NULL,
	`text` text NOT NULL,
	`review` text NOT NULL,
	`review_note` text,
	`due_date` text(10),
	`at` integer NOT NULL,
	`reviewed_at` integer
);
--> statement-breakpoint
CREATE INDEX `proposal_replies_proposal_idx` ON `proposal_replies` (`proposal_id`);--> statement-breakpoint
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
CREATE INDEX `sentiment_reports_state_idx` ON `sentiment_reports` (`state`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`survey_id` text(64) NOT NULL,
	`channel` text(32) NOT NULL,
	`respondent` text(128),
	`answers` text NOT NULL,
	`submitted_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`revisions` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `survey_responses_person_uq` ON `survey_responses` (`survey_id`,`channel`,`respondent`);--> statement-breakpoint
CREATE INDEX `survey_responses_updated_idx` ON `survey_responses` (`updated_at`);--> statement-breakpoint
CREATE TABLE `survey_states` (
	`survey_id` text(64) PRIMARY KEY NOT NULL,
	`opened_at` integer,
	`closes_at` integer,
	`closed_at` integer,
	`link_url` text(255),
	`digested_at` integer
);
--> statement-breakpoint
CREATE TABLE `kf_cursors` (
	`open_kfid` text(64) PRIMARY KEY NOT NULL,
	`cursor` text(128) NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `kf_windows` (
	`open_kfid` text(64) NOT NULL,
	`external_userid` text(64) NOT NULL,
	`last_customer_at` integer,
	`sends` text NOT NULL,
	`welcome_code` text(128),
	`welcome_code_at` integer,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`open_kfid`, `external_userid`)
);
--> statement-breakpoint
CREATE INDEX `kf_windows_user_idx` ON `kf_windows` (`external_userid`,`updated_at`);--> statement-breakpoint
ALTER TABLE `members` ADD `unit` text(100);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `kind` text(32) DEFAULT 'status' NOT NULL;--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `actor_id` text(64);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `actor_role` text(16);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `unit` text(100);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `on_behalf` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `from_status` text;--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `details` text;--> statement-breakpoint
ALTER TABLE `proposals` ADD `version` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `key_proposal` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `merged_into` integer;--> statement-breakpoint
ALTER TABLE `proposals` ADD `rehandling_round` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `due_date` text(10);--> statement-breakpoint
ALTER TABLE `proposals` ADD `last_reply_class` text;