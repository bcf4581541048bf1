/** This package's version; kept equal to package.json by a test. Shown when two copies meet on one page. */
export const VERSION = '0.1.0';
