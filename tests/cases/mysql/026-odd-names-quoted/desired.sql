CREATE TABLE `we``ird t` (`i d` INT PRIMARY KEY, `v-1` INT, `new ``col` VARCHAR(5) DEFAULT 'it''s' COMMENT 'a\\b');
CREATE INDEX `idx ``x` ON `we``ird t` (`v-1`);
