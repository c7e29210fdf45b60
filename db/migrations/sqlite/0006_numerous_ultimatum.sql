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