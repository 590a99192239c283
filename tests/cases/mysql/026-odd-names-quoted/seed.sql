INSERT INTO `we``ird t` VALUES (1, 2);
