// The helpers tests share, as `@regiograph/shared/testing`: never in shared's build (tsconfig.build.json
// leaves src/testing out), so the images do not carry them, and scrapeServiceProcess's tsx, a root
// development dependency, is never needed where only dist/ is installed. Loaded from source by Jest
// (jest.preset.js) and tsx; runtime code may not import it (eslint.config.mjs, test/layering.test.ts).
export * from './language';
export * from './list-size';
export * from './metrics';
export * from './public-answers';
export * from './raw-http';
export * from './redis';
export * from './tokens';
