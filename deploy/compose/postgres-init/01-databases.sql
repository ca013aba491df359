-- One database per service (no app reads another's); run once, on an empty data directory.
-- Temporal's auto-setup creates its own (temporal, temporal_visibility).
CREATE DATABASE commerce_auth;
CREATE DATABASE commerce_products;
CREATE DATABASE commerce_orders;
CREATE DATABASE commerce_payments;
CREATE DATABASE commerce_analytics;
