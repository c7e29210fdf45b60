CREATE TABLE `survey_responses` (
	`id` int AUTO_INCREMENT NOT NULL,
	`survey_id` varchar(64) NOT NULL,
	`channel` varchar(32) NOT NULL,
	`respondent` varchar(128),
	`answers` json NOT NULL,
	`submitted_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	`revisions` int NOT NULL,
	CONSTRAINT `survey_responses_id` PRIMARY KEY(`id`),
	CONSTRAINT `survey_responses_person_uq` UNIQUE(`survey_id`,`channel`,`respondent`)
);
--> statement-breakpoint
CREATE TABLE `survey_states` (
	`survey_id` varchar(64) NOT NULL,
	`opened_at` datetime(3),
	`closes_at` datetime(3),
	`closed_at` datetime(3),
	`link_url` varchar(255),
	`digested_at` datetime(3),
	CONSTRAINT `survey_states_survey_id` PRIMARY KEY(`survey_id`)
);
--> statement-breakpoint
CREATE TABLE `kf_cursors` (
	`open_kfid` varchar(64) NOT NULL,
	`cursor` varchar(128) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `kf_cursors_open_kfid` PRIMARY KEY(`open_kfid`)
);
--> statement-breakpoint
CREATE TABLE `kf_windows` (
	`open_kfid` varchar(64) NOT NULL,
	`external_userid` varchar(64) NOT NULL,
	`last_customer_at` datetime(3),
	`sends` json NOT NULL,
	`welcome_code` varchar(128),
	`welcome_code_at` datetime(3),
	`version` int NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `kf_windows_open_kfid_external_userid_pk` PRIMARY KEY(`open_kfid`,`external_userid`)
);
--> statement-breakpoint
CREATE INDEX `survey_responses_updated_idx` ON `survey_responses` (`updated_at`);--> statement-breakpoint
CREATE INDEX `kf_windows_user_idx` ON `kf_windows` (`external_userid`,`updated_at`);