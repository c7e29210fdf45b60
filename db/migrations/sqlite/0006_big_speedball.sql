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
CREATE INDEX `kf_windows_user_idx` ON `kf_windows` (`external_userid`,`updated_at`);