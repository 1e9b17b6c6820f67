/** The runtime's version, written into every trace header (kept equal to package.json by a test). */
export const RUNTIME_VERSION = '0.1.0';
