CREATE TABLE `duty_attendance` (
	`notice_id` int NOT NULL,
	`user_id` varchar(64) NOT NULL,
	`status` enum('present','absent') NOT NULL,
	`source` enum('staff','checkin') NOT NULL,
	`marked_by` varchar(64) NOT NULL,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `duty_attendance_notice_id_user_id_pk` PRIMARY KEY(`notice_id`,`user_id`)
);
