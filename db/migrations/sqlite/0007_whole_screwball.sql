CREATE TABLE `kf_pull_requests` (
	`open_kfid` text(64) PRIMARY KEY NOT NULL,
	`token` text(128) NOT NULL,
	`requested_at` integer NOT NULL,
	`seq` integer NOT NULL
);
