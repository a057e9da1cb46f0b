// Preloaded into the memlint process (NODE_OPTIONS=--import=…) by test/cli-robustness.test.ts to
// stage what the tests cannot time from outside:
//   MEMLINT_TEST_UMASK=022       the process's umask
//   MEMLINT_TEST_APPEND=<text>   whenever memlint opens a --fix temporary file, <text> is appended
//                                to the file being fixed, as an agent writing its log meanwhile would
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';

if (process.env.MEMLINT_TEST_UMASK) process.umask(parseInt(process.env.MEMLINT_TEST_UMASK, 8));

const append = process.env.MEMLINT_TEST_APPEND;
if (append) {
  const openSync = fs.openSync;
  fs.openSync = function patchedOpenSync(file, ...rest) {
    const m = typeof file === 'string' ? /^\.(.+)\.memlint-\d+\.tmp$/.exec(path.basename(file)) : null;
    if (m) fs.appendFileSync(path.join(path.dirname(file), m[1]), append);
    return openSync.call(this, file, ...rest);
  };
  syncBuiltinESMExports();
}
