CREATE TABLE acct (
    id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    owner VARCHAR(40) NOT NULL,
    balance DECIMAL(12,2) NOT NULL DEFAULT 0.00,
    PRIMARY KEY (id)
) ENGINE=InnoDB COMMENT='accounts';
CREATE INDEX acct_owner_balance ON acct (owner, balance DESC);
