CREATE TABLE customers (
  id BIGINT PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  country VARCHAR(2) NOT NULL
);
CREATE INDEX customers_country ON customers (country);
