CREATE TABLE `we``ird t` (`i d` INT PRIMARY KEY, `v-1` INT);
