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
);
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
);
--> statement-breakpoint
CREATE TABLE `proposal_evaluations` (
	`id` int AUTO_INCREMENT NOT NULL,
	`proposal_id` int NOT NULL,
	`round` int NOT NULL,
	`rating` varchar(8) NOT NULL,
	`comment` text,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `proposal_evaluations_id` PRIMARY KEY(`id`)
);
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
);
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
);
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
CREATE INDEX `proposal_replies_proposal_idx` ON `proposal_replies` (`proposal_id`);