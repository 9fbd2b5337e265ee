// @ts-check
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Vendor SDKs, each allowed only inside its own connector folder. */
const VENDOR_SDKS = {
  jsforce: 'connectors/salesforce',
  'node-quickbooks': 'connectors/quickbooks',
  'jira-client': 'connectors/jira',
  'whatsapp-web.js': 'connectors/whatsapp-web',
  nodemailer: 'connectors/email',
};

const restrictVendors = (except = '') => ({
  'no-restricted-imports': [
    'error',
    {
      paths: Object.entries(VENDOR_SDKS)
        .filter(([, folder]) => folder !== except)
        .map(([name, folder]) => ({ name, message: `${name} may only be imported inside ${folder}/` })),
      patterns: [
        { group: ['mongoose', '@seald-io/nedb'], message: 'database drivers stay inside core/store/' },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.base],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver': { node: { extensions: ['.ts', '.js'] } },
      'import-x/extensions': ['.ts'],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      ...restrictVendors(),
      // Dependencies point inward (DESIGN.md): core imports nothing outside core; mappings only core;
      // connectors only core and mappings.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: './core', from: ['./mappings', './connectors', './webhooks', './queues', './api', './cli', './test', './bench'] },
            { target: './mappings', from: ['./connectors', './webhooks', './queues', './api', './cli', './test', './bench'] },
            { target: './connectors', from: ['./webhooks', './queues', './api', './cli', './test', './bench'] },
            { target: ['./webhooks', './queues', './api'], from: ['./cli', './test', './bench'] },
          ],
        },
      ],
    },
  },
  { files: ['core/store/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
  ...Object.values(VENDOR_SDKS).map((folder) => ({ files: [`${folder}/**/*.ts`], rules: restrictVendors(folder) })),
  // Fakes and their tests drive the real vendor libraries, as a connector would.
  { files: ['test/fakes/**/*.ts', 'test/fakes-tests/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
