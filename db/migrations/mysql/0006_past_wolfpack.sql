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
);
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
);
--> statement-breakpoint
CREATE INDEX `sentiment_reports_reporter_idx` ON `sentiment_reports` (`reporter_id`);--> statement-breakpoint
CREATE INDEX `sentiment_reports_state_idx` ON `sentiment_reports` (`state`);