CREATE TABLE regions (code CHAR(2) NOT NULL, label VARCHAR(40), PRIMARY KEY (code)) ENGINE=Aria;
CREATE TABLE stores (id INT NOT NULL, region CHAR(2) NOT NULL, PRIMARY KEY (id), KEY stores_region (region)) ENGINE=InnoDB;
