// Types of scripts/package.mjs for the TypeScript tests that import it.
export interface PackageResult {
  zipPath: string;
  sha1Path: string;
  sha1: string;
}
export function zipFolder(dir: string, prefix: string, fixedDate?: Date): Buffer;
export function packagePlugin(options: {
  distDir: string;
  outDir: string;
  version: string;
  date?: Date;
}): PackageResult;
