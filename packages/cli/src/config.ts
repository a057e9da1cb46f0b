// The configuration file, as core finds and reads it; here its errors are usage errors (exit 2).
import { ConfigError, readConfig as readConfigFile, type ConfigFile } from '@memlint/core';
import { UsageError } from './options.ts';

export { CONFIG_NAMES, configFileSchema, findConfig, toLintConfig, type ConfigFile } from '@memlint/core';

export function readConfig(file: string): ConfigFile {
  try {
    return readConfigFile(file);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
