-- Edited by hand after drizzle-kit generate: table options added, as in 0000 (utf8mb4_bin: user ids and keys
-- compare as bytes, like SQLite).
CREATE TABLE `kf_pull_requests` (
	`open_kfid` varchar(64) NOT NULL,
	`token` varchar(128) NOT NULL,
	`requested_at` datetime(3) NOT NULL,
	`seq` int NOT NULL,
	CONSTRAINT `kf_pull_requests_open_kfid` PRIMARY KEY(`open_kfid`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
