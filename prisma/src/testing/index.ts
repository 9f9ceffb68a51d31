// Test helpers of the database package for other workspaces' tests (`@regiograph/db/testing`); the
// Jest hooks beside them (global setup, worker database) are named by jest.preset.js instead.
export { databaseBeforeMigration, type DatabaseBefore } from './migration';
