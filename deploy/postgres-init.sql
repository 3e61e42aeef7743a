-- Each service logs in as its own role to its own database (docker-compose's PostgreSQL).
CREATE ROLE portal_identity LOGIN PASSWORD 'portal_identity';
CREATE DATABASE portal_identity OWNER portal_identity;
CREATE ROLE portal_notifier LOGIN PASSWORD 'portal_notifier';
CREATE DATABASE portal_notifier OWNER portal_notifier;
CREATE ROLE portal_company LOGIN PASSWORD 'portal_company';
CREATE DATABASE portal_company OWNER portal_company;
CREATE ROLE portal_invoice LOGIN PASSWORD 'portal_invoice';
CREATE DATABASE portal_invoice OWNER portal_invoice;
CREATE ROLE portal_renderer LOGIN PASSWORD 'portal_renderer';
CREATE DATABASE portal_renderer OWNER portal_renderer;
