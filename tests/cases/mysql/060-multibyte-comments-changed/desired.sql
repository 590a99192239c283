CREATE TABLE stock (
    id INT NOT NULL PRIMARY KEY,
    size VARCHAR(10) NOT NULL COMMENT 'Größe',
    qty INT NOT NULL DEFAULT 0 COMMENT '数量',
    KEY stock_qty (qty) COMMENT 'Bestand — 在庫'
) DEFAULT CHARSET=utf8mb4 COMMENT='Lager / 库存';
