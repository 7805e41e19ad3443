export default { testMatch: ['**/dist/__tests__/**/*.test.js'], testEnvironment: 'node', testTimeout: 120000 };
