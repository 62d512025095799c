// Unit tests only (test/unit), fast and with no services: without the global setup that insists on REDIS_URL and
// MONGO_URL (test/support/global-setup.ts). `npm run test:unit`; the full run is `npm test` (scripts/test.sh).
const { globalSetup: _servicesCheck, ...base } = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = { ...base, roots: ['<rootDir>/test/unit'] };
