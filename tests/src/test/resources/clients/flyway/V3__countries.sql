-- a broadcast reference table, filled by the migration
CREATE TABLE countries (code VARCHAR(2) PRIMARY KEY, name VARCHAR(50) NOT NULL);
INSERT INTO countries (code, name) VALUES ('DE', 'Germany');
INSERT INTO countries (code, name) VALUES ('FR', 'France');
INSERT INTO countries (code, name) VALUES ('JP', 'Japan');
