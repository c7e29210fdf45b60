-- Edited by hand after drizzle-kit generate: table options added (utf8mb4_bin, as in 0000).
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
CREATE INDEX `kf_windows_user_idx` ON `kf_windows` (`external_userid`,`updated_at`);