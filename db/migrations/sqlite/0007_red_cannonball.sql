CREATE TABLE `duty_attendance` (
	`notice_id` integer NOT NULL,
	`user_id` text(64) NOT NULL,
	`status` text NOT NULL,
	`source` text NOT NULL,
	`marked_by` text(64) NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`notice_id`, `user_id`)
);
