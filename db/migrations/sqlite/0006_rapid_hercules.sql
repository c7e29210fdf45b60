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