-- Edited by hand after drizzle-kit generate: table options added, as in 0000 (utf8mb4_bin: user ids and keys
-- compare as bytes, like SQLite).
CREATE TABLE `duty_attendance` (
	`notice_id` int NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`status` enum('present','absent') NOT NULL,
	`source` enum('staff','checkin') NOT NULL,
	`marked_by` varchar(64) NOT NULL,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `duty_attendance_notice_id_user_id_pk` PRIMARY KEY(`notice_id`,`user_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_assignments` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`unit` varchar(100) NOT NULL,
	`role` enum('host','co') NOT NULL,
	`state` enum('pending','signed','return_requested','opinion_sent','replied','reassigned') NOT NULL,
	`assigned_at` datetime(3) NOT NULL,
	`meeting_due` varchar(10),
	`return_by` varchar(10),
	`reply_due` varchar(10),
	`signed_at` datetime(3),
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `proposal_assignments_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_deadlines` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`kind` varchar(32) NOT NULL,
	`unit` varchar(100) NOT NULL,
	`round` int NOT NULL,
	`due_at` datetime(3) NOT NULL,
	`lease_until` datetime(3),
	`done_at` datetime(3),
	CONSTRAINT `proposal_deadlines_id` PRIMARY KEY(`id`),
	CONSTRAINT `proposal_deadlines_uq` UNIQUE(`proposal_id`,`kind`,`unit`,`round`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_evaluations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`round` int NOT NULL,
	`rating` varchar(8) NOT NULL,
	`comment` text,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `proposal_evaluations_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_meetings` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`unit` varchar(100) NOT NULL,
	`date` varchar(10) NOT NULL,
	`way` varchar(16) NOT NULL,
	`participants` text NOT NULL,
	`note` text,
	`source` enum('unit','member') NOT NULL,
	`held` boolean,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `proposal_meetings_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `proposal_replies` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`round` int NOT NULL,
	`unit` varchar(100) NOT NULL,
	`result_class` enum('A','B','C') NOT NULL,
	`text` text NOT NULL,
	`review` enum('pending','approved','rejected') NOT NULL,
	`review_note` text,
	`due_date` varchar(10),
	`at` datetime(3) NOT NULL,
	`reviewed_at` datetime(3),
	CONSTRAINT `proposal_replies_id` PRIMARY KEY(`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `sentiment_events` (
	`id` int AUTO_INCREMENT NOT NULL,
	`report_id` int NOT NULL,
	`seq` int NOT NULL,
	`action` enum('submit','adopt','keep','return','instruct','report_up','forward','forward_result') NOT NULL,
	`state` enum('pending','returned','kept','adopted','reported','forwarded','handled') NOT NULL,
	`actor_id` varchar(64) NOT NULL,
	`summary` text NOT NULL,
	`detail` json NOT NULL,
	`tell` enum('none','queued','waiting') NOT NULL,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `sentiment_events_id` PRIMARY KEY(`id`),
	CONSTRAINT `sentiment_events_report_seq_uq` UNIQUE(`report_id`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `sentiment_reports` (
	`id` int AUTO_INCREMENT NOT NULL,
	`submit_key` varchar(191) NOT NULL,
	`year` int NOT NULL,
	`seq` int NOT NULL,
	`number` varchar(64) NOT NULL,
	`source` enum('member','citizen') NOT NULL,
	`reporter_id` varchar(64) NOT NULL,
	`joint_ids` json NOT NULL,
	`reply_to` varchar(128),
	`reply_channel` varchar(32),
	`last_seen_at` datetime(3),
	`title` varchar(255) NOT NULL,
	`category` varchar(64),
	`situation` text NOT NULL,
	`analysis` text NOT NULL,
	`suggestions` text NOT NULL,
	`town` varchar(64),
	`contact` varchar(64),
	`proposal_id` int,
	`state` enum('pending','returned','kept','adopted','reported','forwarded','handled') NOT NULL,
	`level` enum('县','市','省','全国'),
	`adoption_mode` enum('单篇','综合'),
	`forward_unit` varchar(128),
	`forward_due` varchar(10),
	`instructions` int NOT NULL,
	`submitted_at` datetime(3) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `sentiment_reports_id` PRIMARY KEY(`id`),
	CONSTRAINT `sentiment_reports_submit_key_uq` UNIQUE(`submit_key`),
	CONSTRAINT `sentiment_reports_year_seq_uq` UNIQUE(`year`,`seq`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `survey_states` (
	`survey_id` varchar(64) NOT NULL,
	`opened_at` datetime(3),
	`closes_at` datetime(3),
	`closed_at` datetime(3),
	`link_url` varchar(255),
	`digested_at` datetime(3),
	CONSTRAINT `survey_states_survey_id` PRIMARY KEY(`survey_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
CREATE TABLE `kf_cursors` (
	`open_kfid` varchar(64) NOT NULL,
	`cursor` varchar(128) NOT NULL,
	`updated_at` datetime(3) NOT NULL,
	CONSTRAINT `kf_cursors_open_kfid` PRIMARY KEY(`open_kfid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
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
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
--> statement-breakpoint
ALTER TABLE `members` MODIFY COLUMN `role` enum('member','staff','unit','supervisor') NOT NULL;--> statement-breakpoint
ALTER TABLE `proposal_events` MODIFY COLUMN `status` enum('submitted','under_review','returned','withdrawn','merged','not_registered','converted','registered','assigned','return_requested','in_progress','reply_review','replied','rehandling','closed') NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` MODIFY COLUMN `status` enum('submitted','under_review','returned','withdrawn','merged','not_registered','converted','registered','assigned','return_requested','in_progress','reply_review','replied','rehandling','closed') NOT NULL;--> statement-breakpoint
ALTER TABLE `members` ADD `unit` varchar(100);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `kind` varchar(32) DEFAULT 'status' NOT NULL;--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `actor_id` varchar(64);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `actor_role` varchar(16);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `unit` varchar(100);--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `on_behalf` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `from_status` enum('submitted','under_review','returned','withdrawn','merged','not_registered','converted','registered','assigned','return_requested','in_progress','reply_review','replied','rehandling','closed');--> statement-breakpoint
ALTER TABLE `proposal_events` ADD `details` json;--> statement-breakpoint
ALTER TABLE `proposals` ADD `version` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `key_proposal` boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `merged_into` int;--> statement-breakpoint
ALTER TABLE `proposals` ADD `rehandling_round` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `proposals` ADD `due_date` varchar(10);--> statement-breakpoint
ALTER TABLE `proposals` ADD `last_reply_class` enum('A','B','C');--> statement-breakpoint
CREATE INDEX `proposal_assignments_proposal_idx` ON `proposal_assignments` (`proposal_id`);--> statement-breakpoint
CREATE INDEX `proposal_assignments_unit_idx` ON `proposal_assignments` (`unit`,`state`);--> statement-breakpoint
CREATE INDEX `proposal_deadlines_due_idx` ON `proposal_deadlines` (`done_at`,`due_at`);--> statement-breakpoint
CREATE INDEX `proposal_evaluations_proposal_idx` ON `proposal_evaluations` (`proposal_id`);--> statement-breakpoint
CREATE INDEX `proposal_meetings_proposal_idx` ON `proposal_meetings` (`proposal_id`);--> statement-breakpoint
CREATE INDEX `proposal_replies_proposal_idx` ON `proposal_replies` (`proposal_id`);--> statement-breakpoint
CREATE INDEX `sentiment_reports_reporter_idx` ON `sentiment_reports` (`reporter_id`);--> statement-breakpoint
CREATE INDEX `sentiment_reports_state_idx` ON `sentiment_reports` (`state`);--> statement-breakpoint
CREATE INDEX `survey_responses_updated_idx` ON `survey_responses` (`updated_at`);--> statement-breakpoint
CREATE INDEX `kf_windows_user_idx` ON `kf_windows` (`external_userid`,`updated_at`);