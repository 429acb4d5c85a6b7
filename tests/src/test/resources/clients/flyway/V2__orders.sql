CREATE TABLE orders (
  id BIGINT NOT NULL,
  customer_id BIGINT NOT NULL,
  total DECIMAL(10, 2) NOT NULL,
  PRIMARY KEY (customer_id, id)
);
CREATE INDEX orders_total ON orders (total);
