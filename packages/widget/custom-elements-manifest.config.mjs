/** `cem analyze`: custom-elements.json from the components' JSDoc, for docs and IDEs. */
export default {
  globs: [
    'src/**/*.component.ts',
    'src/shared/rf-element.ts',
    'src/*/escalation-*.ts',
    'src/handoff-context/handoff-context.ts',
  ],
  exclude: ['src/**/*.test.ts', 'src/test/**'],
  outdir: 'dist',
  litelement: true,
};
