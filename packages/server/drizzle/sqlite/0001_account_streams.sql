CREATE TABLE `account_streams` (
	`account_id` text PRIMARY KEY NOT NULL,
	`epoch` integer DEFAULT 1 NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`pruned_through` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`account_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`handoff_id` text,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`account_id`, `seq`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Hand-written: the old global ids become a dense sequence per account, in their old order.
INSERT INTO `__new_events`("account_id", "seq", "type", "handoff_id", "data", "created_at") SELECT "account_id", ROW_NUMBER() OVER (PARTITION BY "account_id" ORDER BY "seq"), "type", "handoff_id", "data", "created_at" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
-- Hand-written: every existing account gets its head row. Epoch 2, because the numbers changed:
-- a Last-Event-ID from before (bare or not) must get stream.reset, never resume at a wrong place.
-- Nothing kept was pruned in the new numbering, so pruned_through starts at 0.
INSERT INTO `account_streams`("account_id", "epoch", "last_seq", "pruned_through") SELECT "id", 2, (SELECT count(*) FROM `events` WHERE `events`."account_id" = `accounts`."id"), 0 FROM `accounts`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `account_settings` DROP COLUMN `events_pruned_through`;