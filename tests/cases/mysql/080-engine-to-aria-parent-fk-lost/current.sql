CREATE TABLE regions (code CHAR(2) NOT NULL, label VARCHAR(40), PRIMARY KEY (code)) ENGINE=InnoDB;
CREATE TABLE stores (id INT NOT NULL, region CHAR(2) NOT NULL, PRIMARY KEY (id), KEY stores_region (region), CONSTRAINT stores_region_fk FOREIGN KEY (region) REFERENCES regions (code) ON DELETE CASCADE) ENGINE=InnoDB;
